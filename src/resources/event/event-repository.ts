import type { Sql } from '../../persistence/database.js';
import { entityColumns } from '../../persistence/entity-columns.js';
import type { Cursor } from '../../persistence/keyset.js';
import { eventEntity, type EventRow } from './event.entity.js';
import type { Condition } from './event-visibility.js';

const columns = entityColumns(eventEntity);

export interface EventFilter {
  type?: string;
  organizationId?: string;
}

export interface EventWindow {
  limit: number;
  offset: number;
  after?: Cursor;
  before?: Cursor;
}

/** Only numbered events are shown: one still waiting for the sequencer has no place in the feed yet. */
const NUMBERED = 'e.sequence IS NOT NULL';

/** The WHERE of a reader's events: what it may see, narrowed by the filters. */
function where(visible: Condition, filter: EventFilter): Condition {
  const parts = [NUMBERED, visible.sql];
  const params = [...visible.params];
  if (filter.type) parts.push('e.type = ?'), params.push(filter.type);
  if (filter.organizationId) parts.push('e.organization_id = ?'), params.push(filter.organizationId);
  return { sql: parts.join(' AND '), params };
}

const read = (raw: Record<string, unknown>): EventRow => columns.read(raw);

export const eventRepository = {
  async find(sql: Sql, visible: Condition, id: string): Promise<EventRow | undefined> {
    const raw = await sql.get<Record<string, unknown>>(`SELECT ${columns.list('e')} FROM event e WHERE e.id = ? AND ${NUMBERED} AND ${visible.sql}`, [id, ...visible.params]);
    return raw && read(raw);
  },

  async count(sql: Sql, visible: Condition, filter: EventFilter): Promise<number> {
    const w = where(visible, filter);
    const row = await sql.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM event e WHERE ${w.sql}`, w.params);
    return Number(row?.n ?? 0);
  },

  /**
   * Oldest first, by sequence (commit order). A cursor is the sequence of the item it was taken
   * at, so a client resuming from one gets exactly the events committed after it; at most
   * limit + 1 rows come back, so the caller can tell whether there are more.
   */
  async window(sql: Sql, visible: Condition, filter: EventFilter, window: EventWindow): Promise<EventRow[]> {
    const w = where(visible, filter);
    const select = `SELECT ${columns.list('e')} FROM event e WHERE ${w.sql}`;
    if (window.after) return (await sql.all<Record<string, unknown>>(`${select} AND e.sequence > ? ORDER BY e.sequence LIMIT ?`, [...w.params, Number(window.after[0]), window.limit + 1])).map(read);
    if (window.before) {
      const rows = await sql.all<Record<string, unknown>>(`${select} AND e.sequence < ? ORDER BY e.sequence DESC LIMIT ?`, [...w.params, Number(window.before[0]), window.limit + 1]);
      return rows.map(read).reverse();
    }
    return (await sql.all<Record<string, unknown>>(`${select} ORDER BY e.sequence LIMIT ? OFFSET ?`, [...w.params, window.limit + 1, window.offset])).map(read);
  },

  /** Events after a sequence, in commit order, for the delivery worker. */
  async after(sql: Sql, sequence: number, visible: Condition, filter: EventFilter & { types?: string[] }, limit: number): Promise<EventRow[]> {
    const w = where(visible, filter);
    const types = filter.types?.length ? ` AND e.type IN (${filter.types.map(() => '?').join(', ')})` : '';
    const rows = await sql.all<Record<string, unknown>>(`SELECT ${columns.list('e')} FROM event e WHERE ${w.sql}${types} AND e.sequence > ? ORDER BY e.sequence LIMIT ?`, [...w.params, ...(filter.types ?? []), sequence, limit]);
    return rows.map(read);
  },
};
