import type { Database, Sql } from '../../../persistence/database.js';
import type { WebhookAttemptRow } from '../webhook-endpoint.entity.js';
import { webhookRepository, type EndpointChanges } from '../webhook-repository.js';

const stamp = (at: number) => new Date(at).toISOString();

/**
 * Takes up to `limit` endpoints with something to deliver now (enabled, behind the last event,
 * due, and held by no live lease) for this instance until `leaseUntil`. On PostgreSQL the rows are
 * taken FOR UPDATE SKIP LOCKED, so instances claiming at the same moment split the endpoints
 * instead of waiting on each other; an instance killed while holding one leaves a lease that
 * runs out, and then another takes the endpoint over. SQLite has one writer: the transaction
 * alone makes the claim exclusive.
 */
export async function claimDue(db: Database, owner: string, lastSequence: number, at: number, leaseUntil: number, limit: number): Promise<string[]> {
  return db.transaction(async (tx) => {
    const skipLocked = tx.engine === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
    const due = await tx.all<{ id: string }>(
      `SELECT id FROM webhook_endpoint
        WHERE enabled = ? AND delivered_through < ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?) AND (lease_until IS NULL OR lease_until < ?)
        ORDER BY next_attempt_at, id LIMIT ?${skipLocked}`,
      [true, lastSequence, stamp(at), stamp(at), limit],
    );
    for (const { id } of due) await tx.run('UPDATE webhook_endpoint SET lease_owner = ?, lease_until = ? WHERE id = ?', [owner, stamp(leaseUntil), id]);
    return due.map((row) => row.id);
  });
}

/**
 * Writes an endpoint's progress only while this instance still holds it: after a lease ran out
 * and another instance took over, the late writer changes nothing and stops.
 */
export async function updateHeld(sql: Sql, id: string, owner: string, changes: EndpointChanges): Promise<boolean> {
  return (await webhookRepository.update(sql, id, changes, owner)) === 1;
}

/** An attempt and the endpoint's progress after it, together, or neither (a lost lease). */
export function recordAttempt(db: Database, owner: string, attempt: WebhookAttemptRow, changes: EndpointChanges): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (!(await updateHeld(tx, attempt.endpoint_id, owner, changes))) return false;
    await webhookRepository.recordAttempt(tx, attempt);
    return true;
  });
}

/** Gives the endpoint back (writes go through a transaction: on SQLite, plain statements read). */
export async function release(db: Database, id: string, owner: string): Promise<void> {
  await db.transaction((tx) => tx.run('UPDATE webhook_endpoint SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?', [id, owner]));
}
