import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { Database, Params, Sql, Statement } from './database.js';

const prepared = new Map<string, { name: string; text: string }>();

/**
 * Our SQL uses `?`; PostgreSQL wants `$1, $2 ...`. Converted once per statement text, and
 * named, so that each connection parses and plans it once (a prepared statement).
 */
function toPostgres(sql: string): { name: string; text: string } {
  let statement = prepared.get(sql);
  if (statement === undefined) {
    let n = 0;
    statement = { name: `lo_${prepared.size}`, text: sql.replace(/\?/g, () => `$${++n}`) };
    prepared.set(sql, statement);
  }
  return statement;
}

function statements(client: Pool | PoolClient): Sql {
  const query = async <T>(sql: string, params: Params) =>
    client.query({ ...toPostgres(sql), values: params as unknown[] }) as unknown as Promise<{ rows: T[]; rowCount: number | null }>;
  return {
    engine: 'postgres',
    all: async <T>(sql: string, params: Params = []) => (await query<T>(sql, params)).rows,
    get: async <T>(sql: string, params: Params = []) => (await query<T>(sql, params)).rows[0],
    run: async (sql: string, params: Params = []) => ({ changes: (await query(sql, params)).rowCount ?? 0 }),
  };
}

/** The pool TypeORM opened, which the server's queries share with it. */
export function postgresPool(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}

const ignoreError = () => undefined;

/** Our queries and transactions on a pool; `close` ends whatever opened it. */
export function postgresDatabase(pool: Pool, close: () => Promise<void>): Database {
  async function transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    // A connection that dies while checked out emits 'error' on its client, where the pool no
    // longer listens: unheard, that error would end the process. The query in flight fails with
    // it anyway (and the transaction with that), and the pool drops the client on release.
    client.on('error', ignoreError);
    try {
      await client.query('BEGIN');
      const result = await work(statements(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.removeListener('error', ignoreError);
      client.release();
    }
  }
  return {
    ...statements(pool),
    transaction,
    batch: (batch: Statement[]) =>
      transaction(async (tx) => {
        for (const { sql, params } of batch) await tx.run(sql, params);
      }),
    close,
  };
}
