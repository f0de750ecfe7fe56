import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Database, Sql } from '../persistence/database.js';
import { scopedDatabase } from '../persistence/scoped-database.js';
import { now } from '../persistence/values.js';
import { AppError } from '../problems/app-error.js';
import { idempotencyRepository as repository, KeyInUse, type ClaimLimits, type KeyClaim, type StoredResponse } from '../resources/idempotency/idempotency-repository.js';
import type { Caller } from '../resources/partner/partner-use-cases.js';
import { databaseUnavailable } from './error-handler.js';
import { holdAnswer, replay, type HeldAnswer } from './held-answer.js';
import { sendProblem } from './problem-response.js';

/** Keys are kept at least this long: retries within it get the first answer. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
/**
 * A retry arriving while the first request with its key still runs waits this long for it,
 * then is told to come back (409, Retry-After). A request that died holds nothing: its
 * transaction is gone with it (PostgreSQL also ends one whose instance stopped answering).
 */
export const CLAIM_LIMITS: ClaimLimits = { waitMs: 5_000, abandonedAfterMs: 10_000 };
const KEY = /^[\x21-\x7e]{1,255}$/;
const PURGE_EVERY_MS = 60_000;

let lastPurge = 0;

const fingerprints = new WeakMap<IncomingMessage, string>();

function fingerprint(req: IncomingMessage & { originalUrl?: string }, body: Buffer | string): string {
  return createHash('sha256').update(`${req.method} ${req.originalUrl ?? req.url}\n`).update(body).digest('hex');
}

/**
 * express.json's `verify` hook: hashes the body's bytes as they came (after Content-Encoding),
 * before they are parsed, so nothing recursive ever walks a body to fingerprint it.
 */
export function rememberFingerprint(req: IncomingMessage, _res: unknown, body: Buffer): void {
  if (req.headers['idempotency-key'] !== undefined) fingerprints.set(req, fingerprint(req, body));
}

// No body hashes as `null`, as bodies were serialized before: keys stored then still match.
const fingerprintOf = (req: Request): string => fingerprints.get(req) ?? fingerprint(req, 'null');

/** Old keys go in a batch of their own, never inside a request's transaction. */
function purgeNowAndThen(db: Database, req: Request): void {
  if (Date.now() - lastPurge < PURGE_EVERY_MS) return;
  lastPurge = Date.now();
  const cutoff = new Date(Date.now() - IDEMPOTENCY_WINDOW_MS).toISOString();
  db.batch([repository.purgeStatement(cutoff)]).catch((error: unknown) => req.log.warn({ err: error }, 'could not purge old idempotency keys'));
}

/** Thrown to roll back work that answered 5xx: the key is given up with it, and a retry does the work. */
class WorkFailed extends Error {}

/** The rest of the chain, in `tx`: its use cases see the transaction (res.locals.db), and its answer is held. */
async function workIn(tx: Sql, res: Response, next: NextFunction): Promise<HeldAnswer> {
  const db = scopedDatabase(tx);
  res.locals.db = db;
  try {
    return await holdAnswer(res, () => next());
  } finally {
    db.end();
    res.locals.db = undefined;
  }
}

function replayOrRefuse(stored: StoredResponse, claim: KeyClaim, res: Response, next: NextFunction): void {
  if (stored.requestHash !== claim.requestHash) {
    return next(new AppError('idempotency-key-reused', 'This Idempotency-Key was used for a different request; use a new key for a new request.'));
  }
  replay(res, stored.response);
}

/**
 * One transaction: claim the key, do the work, store its answer, commit, and only then
 * answer. A crash before the commit leaves nothing behind, so a retry does the work; after
 * it, a retry gets the answer. Nothing else may be answered from a key: the client must
 * learn whether its request was carried out.
 */
async function answerOnce(db: Database, claim: KeyClaim, req: Request, res: Response, next: NextFunction): Promise<void> {
  let held = undefined as HeldAnswer | undefined;
  try {
    const stored = await db.transaction(async (tx) => {
      const first = await repository.claim(tx, claim, now(), CLAIM_LIMITS);
      if (first) return first;
      held = await workIn(tx, res, next);
      if (held.status >= 500) throw new WorkFailed();
      await repository.complete(tx, claim, held);
      return undefined;
    });
    if (stored) return replayOrRefuse(stored, claim, res, next);
    held!.release();
  } catch (error) {
    if (error instanceof WorkFailed) return held!.release();
    if (error instanceof KeyInUse) return next(keyInUse());
    if (!held) return next(error);
    // The work may not be reported done: it was rolled back (or its commit's outcome is unknown, and a retry will tell).
    req.log.warn({ err: error }, 'the answer could not be committed with the work; answering 503 instead');
    held.discard();
    sendProblem(req, res, databaseUnavailable());
  }
}

function keyInUse(): AppError {
  return new AppError('idempotency-key-in-use', 'A request with this Idempotency-Key is still being processed; retry shortly.', { headers: { 'Retry-After': '1' } });
}

/**
 * Idempotency-Key on POST: the first request with a key (per partner) does the work, and its
 * answer commits with it; a retry with the same key and request gets that answer again (after
 * waiting for the first if it is still running); the same key with another request is a 422.
 * Placed after input validation: a body the schema refuses claims no key (as Stripe does),
 * and is refused again on retry.
 */
export function idempotency(db: Database) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const key = req.get('idempotency-key');
    if (key === undefined) return next();
    if (!KEY.test(key)) return next(new AppError('malformed-request', 'Idempotency-Key must be 1 to 255 visible ASCII characters.'));
    purgeNowAndThen(db, req);
    await answerOnce(db, { partnerId: (res.locals.caller as Caller).id, key, requestHash: fingerprintOf(req) }, req, res, next);
  };
}
