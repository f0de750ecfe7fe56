import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { loggableUrl, looksSecret } from './log-safety.js';

const CLIENT_ID = /^[\w.:@-]{1,128}$/;

/** The credential the request presents, so an X-Request-Id copied from it is refused too. */
function presentedCredential(req: IncomingMessage): string | undefined {
  const authorization = req.headers.authorization;
  if (authorization) return authorization.replace(/^\s*\S+\s+/, '').trim();
  const key = req.headers['x-api-key'];
  return typeof key === 'string' ? key.trim() : undefined;
}

/** The client's X-Request-Id when sane and not a token pasted there by mistake (it is logged and echoed). */
function clientRequestId(req: IncomingMessage): string | undefined {
  const given = req.headers['x-request-id'];
  if (typeof given !== 'string' || !CLIENT_ID.test(given) || looksSecret(given)) return undefined;
  const credential = presentedCredential(req);
  return credential && credential.length >= 8 && given.includes(credential) ? undefined : given;
}

/** Structured request logs; each request gets an id (the client's X-Request-Id when sane), echoed back. */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const id = clientRequestId(req) ?? randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: loggableUrl(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
