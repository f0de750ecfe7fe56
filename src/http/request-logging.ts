import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
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

declare module 'http' {
  interface IncomingMessage {
    /** This request's id: the client's X-Request-Id when sane, else a new UUID; echoed back. */
    id: string;
    /** A logger whose lines carry this request (`req`: id, method, url). */
    log: Logger;
  }
}

/**
 * Structured request logs: one line per request when its answer is finished (or the client
 * left), at error for a 5xx, `{ req: { id, method, url }, res: { statusCode }, responseTime }`
 * with the message pino-http gives (request completed, aborted or errored). Each request gets
 * an id, echoed back.
 *
 * Written by hand rather than with pino-http, which made a child logger per request (its
 * bindings serialized every time) and cost about 8% of a GET of one organization: here the
 * line is built once, on the root logger, and `req.log`, used only for the rare warning, is a
 * child made when first asked for.
 */
export function requestLogging(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const id = clientRequestId(req) ?? randomUUID();
    res.setHeader('X-Request-Id', id);
    req.id = id;
    const started = Date.now();
    const bindings = { req: { id, method: req.method, url: loggableUrl(req.url) } };
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', { configurable: true, enumerable: false, get: () => (child ??= logger.child(bindings)) });
    const done = (error?: Error) => {
      res.removeListener('close', done);
      res.removeListener('finish', done);
      res.removeListener('error', done);
      const line = { ...bindings, res: { statusCode: res.statusCode }, responseTime: Date.now() - started };
      if (error || res.statusCode >= 500) logger.error({ ...line, err: error ?? new Error(`failed with status code ${res.statusCode}`) }, 'request errored');
      else logger.info(line, !req.readableAborted && res.writableEnded ? 'request completed' : 'request aborted');
    };
    res.on('close', done);
    res.on('finish', done);
    res.on('error', done);
    next();
  };
}
