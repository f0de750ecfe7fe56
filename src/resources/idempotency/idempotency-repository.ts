import { randomUUID } from 'node:crypto';
import type { Database } from '../../persistence/database.js';
import { iso, json } from '../../persistence/values.js';

export interface StoredResponse {
  requestHash: string;
  createdAt: string;
  /** Absent while the first request is still being answered. */
  response?: { status: number; body: string; headers: Record<string, string> };
}

export const idempotencyRepository = {
  /** True when this request is the first with the key: it then owns it. */
  async claim(db: Database, partnerId: string, key: string, requestHash: string, at: string): Promise<boolean> {
    const { changes } = await db.transaction((tx) =>
      tx.run('INSERT INTO idempotency_key (id, partner_id, request_key, request_hash, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (partner_id, request_key) DO NOTHING', [
        randomUUID(),
        partnerId,
        key,
        requestHash,
        at,
      ]),
    );
    return changes === 1;
  },

  async find(db: Database, partnerId: string, key: string): Promise<StoredResponse | undefined> {
    const row = await db.get<Record<string, unknown>>('SELECT request_hash, status, response_body, response_headers, created_at FROM idempotency_key WHERE partner_id = ? AND request_key = ?', [partnerId, key]);
    if (!row) return undefined;
    const stored: StoredResponse = { requestHash: String(row.request_hash), createdAt: iso(row.created_at) };
    if (row.status != null) stored.response = { status: Number(row.status), body: String(row.response_body ?? ''), headers: json(row.response_headers) ?? {} };
    return stored;
  },

  async complete(db: Database, partnerId: string, key: string, response: { status: number; body: string; headers: Record<string, string> }): Promise<void> {
    await db.transaction((tx) =>
      tx.run('UPDATE idempotency_key SET status = ?, response_body = ?, response_headers = ? WHERE partner_id = ? AND request_key = ?', [response.status, response.body, JSON.stringify(response.headers), partnerId, key]),
    );
  },

  /** Gives the key up, so that a retry does the work (the first attempt failed on our side). */
  async release(db: Database, partnerId: string, key: string): Promise<void> {
    await db.transaction((tx) => tx.run('DELETE FROM idempotency_key WHERE partner_id = ? AND request_key = ?', [partnerId, key]));
  },

  async purgeOlderThan(db: Database, cutoff: string): Promise<void> {
    await db.transaction((tx) => tx.run('DELETE FROM idempotency_key WHERE created_at < ?', [cutoff]));
  },
};
