import { randomUUID } from 'node:crypto';
import type { Sql, Statement } from '../../persistence/database.js';
import { iso, json } from '../../persistence/values.js';

/** An answer as it went out: headers by the names it sent them with (`Location`, `ETag`). */
export interface StoredAnswer {
  status: number;
  body: string;
  headers: Record<string, string | string[]>;
}

export interface StoredResponse {
  requestHash: string;
  createdAt: string;
  response: StoredAnswer;
}

export interface KeyClaim {
  partnerId: string;
  key: string;
  /** SHA-256 of method, path and body bytes. */
  requestHash: string;
}

/** Claiming a key inside a transaction: the first holder keeps others waiting at most this long (PostgreSQL). */
export interface ClaimLimits {
  /** A second request with the same key waits this long for the first to commit or roll back. */
  waitMs: number;
  /** PostgreSQL ends a holder idle this long in its transaction: its instance is presumably gone. */
  abandonedAfterMs: number;
}

/** PostgreSQL's SQLSTATE when lock_timeout ran out. */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * The row is inserted without an answer, and given one before the same transaction commits,
 * so a committed row always has its answer. Rows an earlier version committed without one
 * (their request died) are taken over: nothing will ever complete them.
 */
const CLAIM =
  'INSERT INTO idempotency_key (id, partner_id, request_key, request_hash, created_at) VALUES (?, ?, ?, ?, ?) ' +
  'ON CONFLICT (partner_id, request_key) DO UPDATE SET request_hash = excluded.request_hash, created_at = excluded.created_at WHERE idempotency_key.status IS NULL';

export class KeyInUse extends Error {}

async function insertClaim(tx: Sql, claim: KeyClaim, at: string, limits: ClaimLimits): Promise<boolean> {
  const params = [randomUUID(), claim.partnerId, claim.key, claim.requestHash, at];
  if (tx.engine !== 'postgres') return (await tx.run(CLAIM, params)).changes === 1;
  // A key whose first request is still running is a row lock held by its transaction: wait for it, boundedly.
  await tx.get("SELECT set_config('lock_timeout', ?, true), set_config('idle_in_transaction_session_timeout', ?, true)", [String(limits.waitMs), String(limits.abandonedAfterMs)]);
  try {
    return (await tx.run(CLAIM, params)).changes === 1;
  } catch (error) {
    if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) throw new KeyInUse();
    throw error;
  } finally {
    // Only the claim waits that little: the work's own row locks wait as any request's do.
    await tx.run('SET LOCAL lock_timeout TO DEFAULT').catch(() => undefined);
  }
}

async function find(tx: Sql, partnerId: string, key: string): Promise<StoredResponse | undefined> {
  const row = await tx.get<Record<string, unknown>>('SELECT request_hash, status, response_body, response_headers, created_at FROM idempotency_key WHERE partner_id = ? AND request_key = ?', [partnerId, key]);
  if (!row || row.status == null) return undefined;
  const response = { status: Number(row.status), body: String(row.response_body ?? ''), headers: json<StoredAnswer['headers']>(row.response_headers) ?? {} };
  return { requestHash: String(row.request_hash), createdAt: iso(row.created_at), response };
}

export const idempotencyRepository = {
  /**
   * In the request's transaction: undefined when this request now holds the key (it does the
   * work), else the answer stored for it. Throws KeyInUse when another request has held it
   * for longer than `limits.waitMs`.
   */
  async claim(tx: Sql, claim: KeyClaim, at: string, limits: ClaimLimits): Promise<StoredResponse | undefined> {
    // Twice: an answer may be purged between the conflict and the read; then the key is free again.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await insertClaim(tx, claim, at, limits)) return undefined;
      const stored = await find(tx, claim.partnerId, claim.key);
      if (stored) return stored;
    }
    throw new Error(`The Idempotency-Key row of partner ${claim.partnerId} neither could be claimed nor had an answer.`);
  },

  /** In the same transaction as the claim and the work: the answer commits with the work, or neither does. */
  async complete(tx: Sql, claim: KeyClaim, answer: StoredAnswer): Promise<void> {
    await tx.run('UPDATE idempotency_key SET status = ?, response_body = ?, response_headers = ? WHERE partner_id = ? AND request_key = ?', [answer.status, answer.body, JSON.stringify(answer.headers), claim.partnerId, claim.key]);
  },

  purgeStatement(cutoff: string): Statement {
    return { sql: 'DELETE FROM idempotency_key WHERE created_at < ?', params: [cutoff] };
  },
};
