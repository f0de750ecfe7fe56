import type BetterSqlite3 from 'better-sqlite3';
import type { KeptValues, Params, Sql } from './database.js';
import { keptValuesStore } from './kept-values.js';

/**
 * Entries kept at most; the whole cache is dropped when full, as when anything is written.
 * With at most MAX_ROWS rows each (a page of 30 organizations is about 25 kB as objects), a
 * client walking distinct pages fills it to about 12 MB at worst.
 */
const MAX_ENTRIES = 500;
/** Results with more rows are not kept: the cache is for the small reads every request repeats. */
const MAX_ROWS = 64;

type Row = Record<string, unknown>;

/**
 * The reads of the read-only connection, answered again without SQLite while nothing has been
 * committed since: `PRAGMA data_version` changes on this connection whenever another one (the
 * writer thread, the transaction connection, the CLI, another process) commits. So a cached
 * answer is always what the query would return now, and any write anywhere empties the cache.
 *
 * Why: a GET of one organization spent about a sixth of its CPU time in SQLite, reading the
 * same rows (token, organization and standing, embedded members) as the request before it.
 * The version is read before the query runs, so a commit landing between the two leaves an
 * answer newer than its version, which the next read then recomputes: never an older one.
 * Rows are copied out, so a caller changing one never changes the cache. Read-heavy traffic
 * gains most; under a steady stream of writes the cache is emptied at every commit and each
 * read costs one PRAGMA more.
 */
export function cachedReads(connection: BetterSqlite3.Database, sql: Sql): Sql & { written(): void } {
  const version = connection.prepare('PRAGMA data_version').pluck();
  const entries = new Map<string, Row[] | Row | undefined>();
  /** What callers built from these reads (keptValues): emptied with them. */
  const derived = keptValuesStore();
  let seen = -1;
  let checked = false;

  /**
   * The current version; a new one empties the cache. Read once per turn of the event loop
   * (the PRAGMA was 8% of a GET when read for every statement): requests answered in the same
   * turn read as of its start, as if they had all been read a moment earlier, and `written()`
   * forces a new read after every commit of this process, so its own writes are always seen.
   */
  const current = (): number => {
    if (checked) return seen;
    checked = true;
    setImmediate(() => (checked = false));
    const now = version.get() as number;
    if (now !== seen) {
      entries.clear();
      derived.clear();
      seen = now;
    }
    return now;
  };

  async function remembered<T>(kind: 'all' | 'get', text: string, params: Params, read: () => Promise<T>): Promise<T> {
    const at = current();
    const key = `${kind}\u0000${text}\u0000${JSON.stringify(params)}`;
    if (entries.has(key)) return copy(entries.get(key)) as T;
    const result = await read();
    const rows = Array.isArray(result) ? result.length : 1;
    // Kept only if no commit came in meanwhile (`at` still current); else the next read recomputes it.
    if (rows <= MAX_ROWS && seen === at) {
      if (entries.size >= MAX_ENTRIES) entries.clear();
      entries.set(key, copy(result as Row[] | Row | undefined));
    }
    return result;
  }

  /**
   * A value stored here was built from reads made after keptValues() was called, so it is as
   * new as the reads kept beside it (never older than their version), and goes when they go.
   * One seen with a newer version than the one it started at is not stored.
   */
  function keptValues(): Promise<KeptValues> {
    return Promise.resolve(derived.view(current(), () => seen));
  }

  return {
    ...sql,
    keptValues,
    written: () => void (checked = false),
    all: <T>(text: string, params: Params = []) => remembered<T[]>('all', text, params, () => sql.all<T>(text, params)),
    get: <T>(text: string, params: Params = []) => remembered<T | undefined>('get', text, params, () => sql.get<T>(text, params)),
  };
}

function copy(value: Row[] | Row | undefined): Row[] | Row | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.map((row) => ({ ...row })) : { ...value };
}
