import pg from 'pg';
import type { Pool, PoolClient, QueryConfig, QueryResult } from 'pg';
import type { DataSource } from 'typeorm';
import type { Database, Params, Sql, Statement } from './database.js';
import { CommitOutcomeUnknown } from './database-errors.js';
import { CURRENT_SNAPSHOT, postgresKeptValues } from './postgres-kept-values.js';

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

/**
 * A batch of writes as one statement, `WITH w0 AS (<write> RETURNING 1), … SELECT 1`: atomic on
 * its own (no BEGIN and COMMIT) and one round trip instead of one per write, which is most of
 * what an organization's creation cost on PostgreSQL. Its writes share one snapshot, so they
 * may not change each other's rows (Database.batch says so); foreign keys are checked at its end.
 */
function oneStatement(batch: Statement[]): [string, Params] {
  if (batch.length === 1) return [batch[0].sql, batch[0].params ?? []];
  const writes = batch.map(({ sql }, i) => `w${i} AS (${sql} RETURNING 1)`);
  return [`WITH ${writes.join(', ')} SELECT 1`, batch.flatMap(({ params }) => params ?? [])];
}

/** `writes`: the statement changes data (`Sql.run`), so on its own it is also its commit. */
type Query = (query: QueryConfig | string, writes?: boolean) => Promise<QueryResult>;

function statements(query: Query): Sql {
  const send = <T>(sql: string, params: Params, writes = false) => query({ ...toPostgres(sql), values: params as unknown[] }, writes) as unknown as Promise<{ rows: T[]; rowCount: number | null }>;
  return {
    engine: 'postgres',
    all: async <T>(sql: string, params: Params = []) => (await send<T>(sql, params)).rows,
    get: async <T>(sql: string, params: Params = []) => (await send<T>(sql, params)).rows[0],
    run: async (sql: string, params: Params = []) => ({ changes: (await send(sql, params, true)).rowCount ?? 0 }),
  };
}

/**
 * A client checked out of the pool for one transaction. While we hold it, the pool listens
 * to it no more: a socket error (ECONNRESET while idle between two statements, say) would be
 * an 'error' event nobody handles, and that ends the process. So we listen for as long as we
 * hold it. A failure the server did not report itself (a lost socket, a read timeout with the
 * statement still running) leaves the connection in an unknown state: it is released with
 * that error, so the pool destroys it instead of lending it again.
 */
function checkOut(client: PoolClient) {
  let broken: Error | undefined;
  const onError = (error: Error) => (broken ??= error);
  client.on('error', onError);
  const query: Query = async (config) => {
    try {
      return await client.query(config);
    } catch (error) {
      if (!(error instanceof pg.DatabaseError)) broken ??= error as Error;
      throw error;
    }
  };
  return {
    query,
    /** What broke the connection, if anything did. */
    failure: () => broken,
    release() {
      client.removeListener('error', onError);
      client.release(broken);
    },
  };
}

type CheckedOut = ReturnType<typeof checkOut>;

/** In the pool's callback, so that no error can come between the pool letting go of the client and our listener. */
function connect(pool: Pool): Promise<CheckedOut> {
  return new Promise((resolve, reject) => pool.connect((error, client) => (client ? resolve(checkOut(client)) : reject(error))));
}

/**
 * COMMIT that fails on a lost connection may have committed or not: the caller must not be
 * told either. And PostgreSQL answers COMMIT of a transaction that an error had aborted with
 * ROLLBACK, not with an error: that is no success either.
 */
async function commit(connection: CheckedOut): Promise<void> {
  const before = connection.failure();
  if (before) throw before; // COMMIT never leaves: the server rolls back when the connection goes
  let command: string;
  try {
    ({ command } = await connection.query('COMMIT'));
  } catch (error) {
    throw connection.failure() ? new CommitOutcomeUnknown(error) : error;
  }
  if (command !== 'COMMIT') throw new Error(`PostgreSQL answered COMMIT with ${command}: a statement of the transaction had failed, so nothing was written`);
}

/** The pool TypeORM opened, which the server's queries share with it. */
export function postgresPool(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}

/**
 * Our queries and transactions on a pool (TypeORM's, or the CLI's own); `close` ends whatever
 * opened it. With `keep` (the service; a CLI command reads too little for it), values built from
 * reads are kept until anything is committed (postgres-kept-values.ts).
 */
export function postgresDatabase(pool: Pool, close: () => Promise<void>, { keep = false } = {}): Database {
  /** One statement on its own (autocommitted): a write whose connection is lost may have been done. */
  const onPool: Query = async (query, writes) => {
    const connection = await connect(pool);
    try {
      return await connection.query(query);
    } catch (error) {
      throw writes && connection.failure() ? new CommitOutcomeUnknown(error) : error;
    } finally {
      connection.release();
    }
  };
  async function transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    const connection = await connect(pool);
    try {
      await connection.query('BEGIN');
      const result = await work(statements(connection.query));
      await commit(connection);
      return result;
    } catch (error) {
      // A broken connection is destroyed, which rolls back on the server; ROLLBACK would only wait on it.
      if (!connection.failure()) await connection.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
  }
  const onPoolStatements = statements(onPool);
  const keptValues = keep ? postgresKeptValues(async () => (await onPoolStatements.get<{ snapshot: string }>(CURRENT_SNAPSHOT))!.snapshot) : undefined;
  return {
    ...onPoolStatements,
    ...(keptValues && { keptValues }),
    transaction,
    batch: async (batch: Statement[]) => {
      if (batch.length > 0) await onPoolStatements.run(...oneStatement(batch));
    },
    // pg-pool's own counts: connections open, those of them idle, and callers queued for one.
    load: () => ({ engine: 'postgres', connectionsInUse: pool.totalCount - pool.idleCount, connectionsIdle: pool.idleCount, waiting: pool.waitingCount }),
    close,
  };
}
