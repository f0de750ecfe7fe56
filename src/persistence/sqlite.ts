import BetterSqlite3 from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import type { Database, Params, Sql } from './database.js';

type Statement = BetterSqlite3.Statement<unknown[], unknown>;

// better-sqlite3 refuses JavaScript booleans: SQLite stores them as 0/1.
function bind(params: Params): unknown[] {
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
}

function statements(db: BetterSqlite3.Database): Sql {
  const cache = new Map<string, Statement>();
  const prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  return {
    engine: 'sqlite',
    all: async <T>(sql: string, params: Params = []) => prepare(sql).all(...bind(params)) as T[],
    get: async <T>(sql: string, params: Params = []) => prepare(sql).get(...bind(params)) as T | undefined,
    run: async (sql: string, params: Params = []) => ({ changes: prepare(sql).run(...bind(params)).changes }),
  };
}

/**
 * Writes go through TypeORM's connection, one transaction at a time (a single SQLite
 * connection cannot interleave them); reads use a second, read-only connection, which
 * in WAL mode sees only committed data and never waits for a writer.
 */
export function openSqlite(dataSource: DataSource, file: string): Database {
  const writer = (dataSource.driver as unknown as { databaseConnection: BetterSqlite3.Database }).databaseConnection;
  const reader = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  reader.pragma('busy_timeout = 5000');
  const read = statements(reader);
  const write = statements(writer);
  let queue: Promise<unknown> = Promise.resolve();

  return {
    ...read,
    transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
      const run = async () => {
        writer.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(write);
          writer.exec('COMMIT');
          return result;
        } catch (error) {
          if (writer.inTransaction) writer.exec('ROLLBACK');
          throw error;
        }
      };
      const result = queue.then(run, run);
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      await queue;
      reader.close();
      await dataSource.destroy();
    },
  };
}
