import { randomUUID } from 'node:crypto';
import type { Sql, Statement } from '../../persistence/database.js';
import { entityColumns } from '../../persistence/entity-columns.js';
import { eventStatements } from '../event/event-statements.js';
import type { Partner } from '../partner/partner-repository.js';
import { auditEventEntity, type AuditEventRow, type AuditTarget } from './audit-event.entity.js';

export interface AuditEvent extends AuditEventRow {
  actor: Partner | null;
}

/** Who made the change: a partner through the API (`actorId`) or an operator with the CLI (`operator`), never both. */
type AuditActor = { actorId: string; operator?: never } | { operator: string; actorId?: never };

/** A change as the audit trail and the events feed both record it. */
export interface Change {
  organizationId: string;
  target: { type: AuditTarget; id: string };
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  at: string;
}

export type AuditEntry = AuditActor & Change & { action: string };

const columns = entityColumns(auditEventEntity);

const SELECT = `SELECT e.*, p.email AS actor_email, p.name AS actor_name
                  FROM audit_event e LEFT JOIN partner p ON p.id = e.actor_id`;

function toEvent(raw: Record<string, unknown>): AuditEvent {
  return {
    ...(raw as unknown as AuditEventRow),
    ...columns.read(raw),
    actor: raw.actor_email == null ? null : { id: String(raw.actor_id), email: String(raw.actor_email), name: String(raw.actor_name) },
  };
}

/** The audit entry's own row. */
function auditStatement(entry: AuditEntry): Statement {
  const { organizationId, actorId, operator, action, target, before, after, at } = entry;
  return columns.insert({
    id: randomUUID(),
    organization_id: organizationId,
    actor_id: actorId ?? null,
    operator: operator ?? null,
    action,
    target_type: target.type,
    target_id: target.id,
    state_before: before ?? null,
    state_after: after ?? null,
    at,
  });
}

function actionFilter(action: string | undefined): [string, string[]] {
  return action ? [' AND e.action = ?', [action]] : ['', []];
}

export const auditRepository = {
  /**
   * Call inside the transaction of the change it records. The change's event is written here
   * too, the one place every change passes, so an event exists if and only if its change committed.
   */
  async record(sql: Sql, entry: AuditEntry): Promise<void> {
    for (const { sql: text, params } of auditRepository.recordStatements(entry, sql.engine)) await sql.run(text, params);
  },

  /** The same writes, for a batch: the audit entry and the change's event. */
  recordStatements(entry: AuditEntry, engine: Sql['engine']): Statement[] {
    const { organizationId, action, target, before, after, at } = entry;
    return [auditStatement(entry), ...eventStatements({ organizationId, type: action, target, before, after, at }, engine)];
  },

  async find(sql: Sql, organizationId: string, id: string): Promise<AuditEvent | undefined> {
    const raw = await sql.get<Record<string, unknown>>(`${SELECT} WHERE e.organization_id = ? AND e.id = ?`, [organizationId, id]);
    return raw && toEvent(raw);
  },

  async count(sql: Sql, organizationId: string, action?: string): Promise<number> {
    const [filter, params] = actionFilter(action);
    const row = await sql.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM audit_event e WHERE e.organization_id = ?${filter}`, [organizationId, ...params]);
    return Number(row?.n ?? 0);
  },

  /** Newest first. */
  async page(sql: Sql, organizationId: string, action: string | undefined, limit: number, offset: number): Promise<AuditEvent[]> {
    const [filter, params] = actionFilter(action);
    const rows = await sql.all<Record<string, unknown>>(`${SELECT} WHERE e.organization_id = ?${filter} ORDER BY e.at DESC, e.id LIMIT ? OFFSET ?`, [organizationId, ...params, limit, offset]);
    return rows.map(toEvent);
  },
};
