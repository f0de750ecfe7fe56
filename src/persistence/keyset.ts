import type { Params, Sql } from './database.js';

/** Where a page starts or ends: the sort key and the id of an item, as stored. */
export type Cursor = [key: string, id: string];

export interface KeysetQuery {
  /** `SELECT …` of the rows. */
  select: string;
  /** `FROM … WHERE …`: the collection, without the paging conditions. */
  from: string;
  params: Params;
  /** Sort key and tie-breaking id columns, both in one index after the WHERE's equality columns. */
  key: string;
  id: string;
}

export interface PageWindow {
  limit: number;
  /** Page number (from 1), when no cursor is given. */
  page: number;
  after?: Cursor;
  before?: Cursor;
}

/** Where a page ended, for the links: the cursors of its first and last items. */
export interface PageEdges {
  first?: Cursor;
  last?: Cursor;
  hasNext: boolean;
  hasPrevious: boolean;
}

export interface KeysetPage<T> {
  rows: T[];
  hasNext: boolean;
  hasPrevious: boolean;
}

/**
 * A collection drawn from several tables, each listing (key, id) in one index: a partner's
 * memberships and installations. Every arm is read in index order and cut at the rows the
 * page can need, so the union stays as cheap as one index range read per arm; the outer
 * query joins what the rows show.
 */
export interface KeysetUnion {
  /** `SELECT …` over the arms' rows `a`, whose sort key is `a.k` and id `a.i`. */
  select: string;
  /** `JOIN …` of the tables the select shows, on `a.i`. */
  join: string;
  arms: Omit<KeysetQuery, 'select'>[];
  /**
   * Reads more of each row once the page is cut (at most `limit` rows, however deep the page):
   * `sql` wraps the page's statement (`inner`) and must keep `order`; its `params` follow the page's.
   */
  around?: { sql: (inner: string, order: Order) => string; params: Params };
}

export type Order = 'ASC' | 'DESC';

/** The rows of one window: after or before a cursor (or from either end), `offset` rows in, at most `limit`. */
function windowRows<T>(sql: Sql, q: KeysetQuery | KeysetUnion, order: Order, bound: Cursor | undefined, limit: number, offset: number): Promise<T[]> {
  const seek = (key: string, id: string) => (bound ? ` AND (${key}, ${id}) ${order === 'ASC' ? '>' : '<'} (?, ?)` : '');
  const boundParams = bound ?? [];
  if (!('arms' in q)) {
    return sql.all<T>(`${q.select} ${q.from}${seek(q.key, q.id)} ORDER BY ${q.key} ${order}, ${q.id} ${order} LIMIT ? OFFSET ?`, [...q.params, ...boundParams, limit, offset]);
  }
  const arms = q.arms.map(
    (arm, n) => `SELECT * FROM (SELECT ${arm.key} AS k, ${arm.id} AS i ${arm.from}${seek(arm.key, arm.id)} ORDER BY ${arm.key} ${order}, ${arm.id} ${order} LIMIT ?) arm${n}`,
  );
  const params = q.arms.flatMap((arm) => [...arm.params, ...boundParams, limit + offset]);
  const page = `${q.select} FROM (${arms.join(' UNION ALL ')}) a ${q.join} ORDER BY a.k ${order}, a.i ${order} LIMIT ? OFFSET ?`;
  if (!q.around) return sql.all<T>(page, [...params, limit, offset]);
  return sql.all<T>(q.around.sql(page, order), [...params, limit, offset, ...q.around.params]);
}

/**
 * One page of a collection without scanning what precedes it: cursors seek in the index
 * (`(key, id) > (?, ?)`), and a page number is read from whichever end of the collection is
 * nearer, so the first and the last pages cost the same however large `total` grows.
 * `total` must be exact: it is a count kept up to date with the writes.
 */
export async function keysetPage<T>(sql: Sql, q: KeysetQuery | KeysetUnion, window: PageWindow, total: number): Promise<KeysetPage<T>> {
  const { limit } = window;
  if (window.after) {
    const rows = await windowRows<T>(sql, q, 'ASC', window.after, limit + 1, 0);
    return { rows: rows.slice(0, limit), hasNext: rows.length > limit, hasPrevious: true };
  }
  if (window.before) {
    const rows = await windowRows<T>(sql, q, 'DESC', window.before, limit + 1, 0);
    return { rows: rows.slice(0, limit).reverse(), hasNext: true, hasPrevious: rows.length > limit };
  }
  const start = (window.page - 1) * limit;
  const count = Math.max(0, Math.min(limit, total - start));
  const fromEnd = total - start - count;
  const rows = count === 0 ? [] : fromEnd < start ? (await windowRows<T>(sql, q, 'DESC', undefined, count, fromEnd)).reverse() : await windowRows<T>(sql, q, 'ASC', undefined, limit, start);
  return { rows, hasNext: start + rows.length < total, hasPrevious: window.page > 1 };
}
