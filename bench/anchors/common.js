// What every anchor server shares: its settings from the environment, and the query.
import BetterSqlite3 from 'better-sqlite3';

export const PORT = Number(process.env.PORT);
export const HOST = process.env.HOST ?? '127.0.0.1';
/** The benchmark's SQLite file: the same one the SQLite service reads. */
export const SQLITE_FILE = process.env.BENCH_SQLITE_FILE;
if (!SQLITE_FILE || !PORT) throw new Error('anchors need BENCH_SQLITE_FILE and PORT');

export const ITEM_PREFIX = '/organizations/';

/** A read-only connection and the prepared statement every reading anchor answers from. */
export function organizationById() {
  const db = new BetterSqlite3(SQLITE_FILE, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db.prepare('SELECT * FROM organization WHERE id = ?');
}
