import { pino, type Logger } from 'pino';

/** JSON lines on stdout; tokens and credentials never reach them. */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, redact: ['req.headers.authorization', 'req.headers["x-api-key"]'] });
}
