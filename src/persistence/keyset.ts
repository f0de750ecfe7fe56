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
 * One page of a collection without scanning what precedes it: cursors seek in the index
 * (`(key, id) > (?, ?)`), and a page number is read from whichever end of the collection is
 * nearer, so the first and the last pages cost the same however large `total` grows.
 * `total` must be exact: it is a count kept up to date with the writes.
 */
export async function keysetPage<T>(sql: Sql, q: KeysetQuery, window: PageWindow, total: number): Promise<KeysetPage<T>> {
  const { limit } = window;
  const ascending = `ORDER BY ${q.key}, ${q.id}`;
  const descending = `ORDER BY ${q.key} DESC, ${q.id} DESC`;
  if (window.after) {
    const rows = await sql.all<T>(`${q.select} ${q.from} AND (${q.key}, ${q.id}) > (?, ?) ${ascending} LIMIT ?`, [...q.params, ...window.after, limit + 1]);
    return { rows: rows.slice(0, limit), hasNext: rows.length > limit, hasPrevious: true };
  }
  if (window.before) {
    const rows = await sql.all<T>(`${q.select} ${q.from} AND (${q.key}, ${q.id}) < (?, ?) ${descending} LIMIT ?`, [...q.params, ...window.before, limit + 1]);
    return { rows: rows.slice(0, limit).reverse(), hasNext: true, hasPrevious: rows.length > limit };
  }
  const start = (window.page - 1) * limit;
  const count = Math.max(0, Math.min(limit, total - start));
  const fromEnd = total - start - count;
  const rows =
    count === 0
      ? []
      : fromEnd < start
        ? (await sql.all<T>(`${q.select} ${q.from} ${descending} LIMIT ? OFFSET ?`, [...q.params, count, fromEnd])).reverse()
        : await sql.all<T>(`${q.select} ${q.from} ${ascending} LIMIT ? OFFSET ?`, [...q.params, limit, start]);
  return { rows, hasNext: start + rows.length < total, hasPrevious: window.page > 1 };
}
