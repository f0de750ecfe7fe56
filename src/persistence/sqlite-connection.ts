import type BetterSqlite3 from 'better-sqlite3';
import type { Database, Sql, Statement } from './database.js';
import { sqliteStatements } from './sqlite.js';

/**
 * Our queries and transactions on one SQLite connection, for a short command: no reader or
 * writer thread to start (the server's sqlite.ts has both). Transactions run one at a time,
 * BEGIN IMMEDIATE as on the server, and wait up to busy_timeout for the server's writes.
 */
export function sqliteConnectionDatabase(connection: BetterSqlite3.Database): Database {
  const sql = sqliteStatements(connection);
  let queue: Promise<unknown> = Promise.resolve();

  function transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    const run = async () => {
      connection.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(sql);
        connection.exec('COMMIT');
        return result;
      } catch (error) {
        if (connection.inTransaction) connection.exec('ROLLBACK');
        throw error;
      }
    };
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  }

  return {
    ...sql,
    transaction,
    batch: (statements: Statement[]) =>
      transaction(async (tx) => {
        for (const { sql: text, params } of statements) await tx.run(text, params);
      }),
    async close() {
      await queue;
      connection.close();
    },
  };
}
