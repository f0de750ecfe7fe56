import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Database } from '../persistence/database.js';
import { now } from '../persistence/values.js';
import { AppError } from '../problems/app-error.js';
import { idempotencyRepository as repository } from '../resources/idempotency/idempotency-repository.js';
import type { Caller } from '../resources/partner/partner-use-cases.js';

/** Keys are kept at least this long: retries within it get the first answer. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
const WAIT_FOR_FIRST_MS = 10_000;
const POLL_MS = 25;
const KEY = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ['content-type', 'location', 'etag', 'link'];

let lastPurge = 0;

function requestHash(req: Request): string {
  return createHash('sha256').update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
}

function replay(res: Response, response: { status: number; body: string; headers: Record<string, string> }): void {
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.setHeader('Idempotent-Replayed', 'true');
  res.status(response.status).send(response.body);
}

/** Holds the response until it is stored, so a retry can never see the key without its answer. */
function recordResponse(db: Database, res: Response, partnerId: string, key: string): void {
  const send = res.send.bind(res);
  res.send = ((body: unknown) => {
    const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body);
    const status = res.statusCode;
    const headers = Object.fromEntries(REPLAYED_HEADERS.map((h) => [h, res.get(h)]).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const done = status >= 500 ? repository.release(db, partnerId, key) : repository.complete(db, partnerId, key, { status, body: text, headers });
    done.then(
      () => send(body),
      () => send(body), // the answer still goes out; a retry may then redo the work
    );
    return res;
  }) as Response['send'];
}

/**
 * Idempotency-Key on POST: the first request with a key (per partner) does the work and its
 * answer is stored; a retry with the same key and body gets that answer again, even when it
 * arrives while the first is still running (it waits for it); the same key with another
 * request is a 422.
 */
export function idempotency(db: Database) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const key = req.get('idempotency-key');
    if (key === undefined) return next();
    if (!KEY.test(key)) return next(new AppError('malformed-request', 'Idempotency-Key must be 1 to 255 visible ASCII characters.'));
    const partnerId = (res.locals.caller as Caller).id;
    const hash = requestHash(req);
    const at = now();
    if (Date.now() - lastPurge > 60_000) {
      lastPurge = Date.now();
      await repository.purgeOlderThan(db, new Date(Date.now() - IDEMPOTENCY_WINDOW_MS).toISOString());
    }
    if (await repository.claim(db, partnerId, key, hash, at)) {
      recordResponse(db, res, partnerId, key);
      return next();
    }
    for (let waited = 0; waited <= WAIT_FOR_FIRST_MS; waited += POLL_MS) {
      const stored = await repository.find(db, partnerId, key);
      if (!stored) return idempotency(db)(req, res, next); // released after a failure: this one does the work
      if (stored.requestHash !== hash) {
        return next(new AppError('idempotency-key-reused', 'This Idempotency-Key was used for a different request; use a new key for a new request.'));
      }
      if (stored.response) return void replay(res, stored.response);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    next(new AppError('idempotency-key-in-use', 'A request with this Idempotency-Key is still being processed; retry shortly.', { headers: { 'Retry-After': '1' } }));
  };
}
