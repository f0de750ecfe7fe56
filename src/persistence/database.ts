import BetterSqlite3 from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { columnTypes } from './column-types.js';
import { parseDatabaseUrl, type DatabaseTarget } from './database-url.js';
import { entities } from '../resources/registry.js';
import { loadMigrations, type MigrationClass } from './migrations/index.js';
import { postgresDatabase, postgresPool } from './postgres.js';
import { postgresPoolOptions, type PostgresPoolSettings } from './postgres-pool.js';
import { openSqlite } from './sqlite.js';

export type Params = ReadonlyArray<string | number | boolean | null>;

/** SQL with `?` placeholders, the same text on both engines. */
export interface Sql {
  readonly engine: DatabaseTarget['engine'];
  all<T>(sql: string, params?: Params): Promise<T[]>;
  get<T>(sql: string, params?: Params): Promise<T | undefined>;
  run(sql: string, params?: Params): Promise<{ changes: number }>;
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
   * Runs these writes in one transaction, all or none, when nothing needs reading in between:
   * on SQLite on the writer thread, so the commit does not hold up the event loop.
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

/**
 * Each SQLite connection's page cache, in KiB. The operating system caches the file already;
 * better-sqlite3's default of 16 MB on each of the three connections (reads, writer thread,
 * migrations and read-as-you-go transactions) was resident memory for little speed.
 */
export const SQLITE_CACHE_KIB = 4000;

export { DATABASE_DEFAULTS, queryTimeoutFor } from './postgres-pool.js';
// Use cases import it from here; it lives apart so that the CLI's quick path need not load TypeORM.
export { isUniqueViolation } from './database-errors.js';

/** Any constant shared by every instance: the key of the PostgreSQL advisory lock held while migrating. */
export const MIGRATION_LOCK_KEY = 7_146_239_001;

function dataSourceFor(target: DatabaseTarget, options: DatabaseOptions, migrations: MigrationClass[]): DataSource {
  const shared = { entities: entities(columnTypes(target.engine)), migrations, migrationsRun: false, synchronize: false, logging: false };
  if (target.engine === 'postgres') {
    return new DataSource({
      ...shared,
      type: 'postgres',
      url: target.url,
      applicationName: 'linked-orgs',
      ...postgresPoolOptions(options),
    });
  }
  return new DataSource({
    ...shared,
    type: 'better-sqlite3',
    database: target.file,
    prepareDatabase: (db: BetterSqlite3.Database) => {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.sqliteSynchronous ?? 'FULL'}`);
      db.pragma('busy_timeout = 5000');
      db.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
    },
  });
}

/**
 * Runs pending migrations. On PostgreSQL, under an advisory lock: instances starting at
 * once take turns, and those that come second find nothing left to run.
 */
async function migrate(dataSource: DataSource): Promise<void> {
  if (dataSource.options.type !== 'postgres') {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
  }
}

/**
 * On PostgreSQL, migrations run on two connections of their own (the lock's and the
 * migrations'), whatever the pool size, and without the requests' statement and query
 * timeouts: waiting for another instance's migrations, or building an index on a big table,
 * may take longer than any request should. Keepalive still notices a host that is gone.
 */
async function migratePostgres(target: DatabaseTarget, options: DatabaseOptions, migrations: MigrationClass[]): Promise<void> {
  const migrator = dataSourceFor(target, { ...options, poolSize: 2, statementTimeoutMs: 0, queryTimeoutMs: 0 }, migrations);
  await migrator.initialize();
  try {
    await migrate(migrator);
  } finally {
    await migrator.destroy();
  }
}

/** Opens the database named by DATABASE_URL and brings its schema up to date. */
export async function openDatabase(options: DatabaseOptions = {}): Promise<{ database: Database; dataSource: DataSource }> {
  const target = parseDatabaseUrl(options.url);
  const migrations = await loadMigrations();
  if (target.engine === 'postgres') await migratePostgres(target, options, migrations);
  const dataSource = dataSourceFor(target, options, migrations);
  await dataSource.initialize();
  try {
    if (target.engine === 'sqlite') await migrate(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  const database = target.engine === 'postgres' ? postgresDatabase(postgresPool(dataSource), () => dataSource.destroy()) : openSqlite(dataSource, { file: target.file, synchronous: options.sqliteSynchronous ?? 'FULL', cacheKib: SQLITE_CACHE_KIB });
  return { database, dataSource };
}
