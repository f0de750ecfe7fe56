import type { DataSource } from 'typeorm';
import { columnTypes } from './column-types.js';
import { parseDatabaseUrl, type DatabaseTarget } from './database-url.js';
import { entities } from '../resources/registry.js';
import { loadMigrations } from './migrations/index.js';
import { dataSourceFor, migrate, migrateAndClose, SQLITE_CACHE_KIB } from './migrator.js';
import { postgresDatabase, postgresPool } from './postgres.js';
import type { PostgresPoolSettings } from './postgres-pool.js';
import { openSqlite } from './sqlite.js';

export type Params = ReadonlyArray<string | number | boolean | null>;

/** SQL with `?` placeholders, the same text on both engines. */
export interface Sql {
  readonly engine: DatabaseTarget['engine'];
  all<T>(sql: string, params?: Params): Promise<T[]>;
  get<T>(sql: string, params?: Params): Promise<T | undefined>;
  run(sql: string, params?: Params): Promise<{ changes: number }>;
  /**
   * A place for values built only from reads, kept until anything is committed: on SQLite beside
   * the reads of the read connection (sqlite-read-cache.ts), on PostgreSQL under the snapshot
   * read first (postgres-kept-values.ts, a round trip). Ask for it once per request, before the
   * reads a value is built from, and hand it to what else the request keeps. Absent where
   * nothing is kept (a transaction, the CLI's PostgreSQL connection).
   */
  keptValues?(): Promise<KeptValues>;
}

/** Values built from reads, emptied with the read cache at the first read that sees a new commit. */
export interface KeptValues {
  get(key: string): unknown;
  /** Kept only if no new commit has been seen since keptValues() handed this out; `size`: about how many bytes it holds. */
  set(key: string, value: unknown, size: number): void;
}

/** One write of a batch. */
export interface Statement {
  sql: string;
  params?: Params;
}

/** How busy the database's connections are right now, for the metrics: only what each engine really has. */
export type DatabaseLoad = PostgresLoad | SqliteLoad;

export interface PostgresLoad {
  engine: 'postgres';
  connectionsInUse: number;
  connectionsIdle: number;
  /** Callers queued for a connection. */
  waiting: number;
}

/** Writes sent and not finished (the one running included): batches for the writer thread, transactions for the write connection. */
export interface SqliteLoad {
  engine: 'sqlite';
  batchesPending: number;
  transactionsPending: number;
}

export interface Database extends Sql {
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  /**
   * Runs these writes (INSERT, UPDATE or DELETE) all or none, when nothing needs reading in
   * between: on SQLite in one transaction on the writer thread, so the commit does not hold up the
   * event loop; on PostgreSQL as one statement, in one round trip. There the writes see the
   * database as it was before the batch, so none may change a row another of them writes.
   */
  batch(statements: Statement[]): Promise<void>;
  /** Those on a PostgreSQL pool or with SQLite's writer thread have it; the CLI's SQLite connection and a transaction's do not. */
  load?(): DatabaseLoad;
  close(): Promise<void>;
}

export interface DatabaseOptions extends PostgresPoolSettings {
  url?: string;
  /** SQLite `synchronous` pragma; FULL keeps every acknowledged commit across power loss. */
  sqliteSynchronous?: 'FULL' | 'NORMAL' | 'EXTRA';
}

export { DATABASE_DEFAULTS, queryTimeoutFor } from './postgres-pool.js';
// Use cases import it from here; it lives apart so that the CLI's quick path need not load TypeORM.
export { isUniqueViolation } from './database-errors.js';

export { MIGRATION_LOCK_KEY, SQLITE_CACHE_KIB } from './migrator.js';

/** Opens the database named by DATABASE_URL and brings its schema up to date. */
export async function openDatabase(options: DatabaseOptions = {}): Promise<{ database: Database; dataSource: DataSource }> {
  const target = parseDatabaseUrl(options.url);
  const migrations = await loadMigrations();
  if (target.engine === 'postgres') await migrateAndClose(target, options, migrations);
  const dataSource = dataSourceFor(target, options, migrations, entities(columnTypes(target.engine)));
  await dataSource.initialize();
  try {
    if (target.engine === 'sqlite') await migrate(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  const database = target.engine === 'postgres' ? postgresDatabase(postgresPool(dataSource), () => dataSource.destroy(), { keep: true }) : openSqlite(dataSource, { file: target.file, synchronous: options.sqliteSynchronous ?? 'FULL', cacheKib: SQLITE_CACHE_KIB });
  return { database, dataSource };
}
