import type { Sql } from '../../persistence/database.js';
import { entityColumns } from '../../persistence/entity-columns.js';
import { webhookAttemptEntity, webhookEndpointEntity, type WebhookAttemptRow, type WebhookEndpointRow } from './webhook-endpoint.entity.js';

const endpoints = entityColumns(webhookEndpointEntity);
const attempts = entityColumns(webhookAttemptEntity);

export type EndpointChanges = Partial<Pick<WebhookEndpointRow, 'url' | 'events' | 'enabled' | 'disabled_reason' | 'secret_sealed' | 'previous_secret_sealed' | 'previous_secret_expires_at' | 'delivered_through' | 'failed_attempts' | 'next_attempt_at' | 'failing_since' | 'lease_until' | 'lease_owner'>> & { updated_at?: string };

export const webhookRepository = {
  async insert(sql: Sql, row: WebhookEndpointRow): Promise<void> {
    const { sql: text, params } = endpoints.insert(row);
    await sql.run(text, params);
  },

  /** The partner's own endpoint, or nothing: nobody else's is ever found. */
  async find(sql: Sql, partnerId: string, id: string): Promise<WebhookEndpointRow | undefined> {
    const raw = await sql.get<Record<string, unknown>>(`SELECT ${endpoints.list()} FROM webhook_endpoint WHERE id = ? AND partner_id = ?`, [id, partnerId]);
    return raw && endpoints.read(raw);
  },

  async get(sql: Sql, id: string): Promise<WebhookEndpointRow | undefined> {
    const raw = await sql.get<Record<string, unknown>>(`SELECT ${endpoints.list()} FROM webhook_endpoint WHERE id = ?`, [id]);
    return raw && endpoints.read(raw);
  },

  async count(sql: Sql, partnerId: string): Promise<number> {
    const row = await sql.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM webhook_endpoint WHERE partner_id = ?', [partnerId]);
    return Number(row?.n ?? 0);
  },

  async page(sql: Sql, partnerId: string, limit: number, offset: number): Promise<WebhookEndpointRow[]> {
    const rows = await sql.all<Record<string, unknown>>(`SELECT ${endpoints.list()} FROM webhook_endpoint WHERE partner_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?`, [partnerId, limit, offset]);
    return rows.map((raw) => endpoints.read(raw));
  },

  /** With `heldBy`, only while that delivery worker holds the endpoint's lease (a late writer changes nothing). */
  async update(sql: Sql, id: string, changes: EndpointChanges, heldBy?: string): Promise<number> {
    const names = Object.keys(changes) as (keyof EndpointChanges & keyof WebhookEndpointRow)[];
    if (names.length === 0) return 0;
    const held = heldBy === undefined ? '' : ' AND lease_owner = ?';
    const { changes: n } = await sql.run(`UPDATE webhook_endpoint SET ${names.map((name) => `${name} = ?`).join(', ')} WHERE id = ?${held}`, [...names.map((name) => endpoints.toColumn(name, changes[name])), id, ...(heldBy === undefined ? [] : [heldBy])]);
    return n;
  },

  async delete(sql: Sql, partnerId: string, id: string): Promise<boolean> {
    return (await sql.run('DELETE FROM webhook_endpoint WHERE id = ? AND partner_id = ?', [id, partnerId])).changes > 0;
  },

  async recordAttempt(sql: Sql, row: WebhookAttemptRow): Promise<void> {
    const { sql: text, params } = attempts.insert(row);
    await sql.run(text, params);
  },

  async countAttempts(sql: Sql, endpointId: string): Promise<number> {
    const row = await sql.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM webhook_attempt WHERE endpoint_id = ?', [endpointId]);
    return Number(row?.n ?? 0);
  },

  /** Newest first. */
  async attempts(sql: Sql, endpointId: string, limit: number, offset: number): Promise<WebhookAttemptRow[]> {
    const rows = await sql.all<Record<string, unknown>>(`SELECT ${attempts.list()} FROM webhook_attempt WHERE endpoint_id = ? ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`, [endpointId, limit, offset]);
    return rows.map((raw) => attempts.read(raw));
  },

  /**
   * When the oldest event that some enabled endpoint has not had yet occurred; undefined when none waits.
   * Sequences have no gaps (a rolled-back change rolls its counter increment back too), so an
   * endpoint's next event is delivered_through + 1: one index lookup per endpoint.
   */
  async oldestPending(sql: Sql): Promise<string | undefined> {
    const row = await sql.get<{ oldest: string | Date | null }>('SELECT MIN(e.occurred_at) AS oldest FROM webhook_endpoint w JOIN event e ON e.sequence = w.delivered_through + 1 WHERE w.enabled = ?', [true]);
    return row?.oldest ? new Date(row.oldest).toISOString() : undefined;
  },

  /** Where a new endpoint starts: after the last event committed so far. */
  async lastSequence(sql: Sql): Promise<number> {
    const row = await sql.get<{ last_sequence: number | string }>('SELECT last_sequence FROM event_sequence WHERE id = 1');
    return Number(row?.last_sequence ?? 0);
  },
};
