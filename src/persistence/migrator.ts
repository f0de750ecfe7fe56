import type BetterSqlite3 from 'better-sqlite3';
import { DataSource, type EntitySchema } from 'typeorm';
import type { DatabaseTarget } from './database-url.js';
import type { DatabaseOptions } from './database.js';
import { loadMigrations, type MigrationClass } from './migrations/index.js';
import { MIGRATION_LOCK_KEY } from './migration-lock.js';
import { postgresPoolOptions } from './postgres-pool.js';

/**
 * TypeORM's part: a data source that runs the migrations. Apart from database.ts so that the
 * CLI can migrate a new database without the resource registry, whose entities bring every
 * resource's module (jsonld and its fetch client among them) and pg on SQLite: a third of a
 * first command's time. Migrations need no entities.
 */

/**
 * Each SQLite connection's page cache, in KiB. The operating system caches the file already;
 * better-sqlite3's default of 16 MB on each of the three connections (reads, writer thread,
 * migrations and read-as-you-go transactions) was resident memory for little speed.
 */
export const SQLITE_CACHE_KIB = 4000;

export { MIGRATION_LOCK_KEY };

export function dataSourceFor(target: DatabaseTarget, options: DatabaseOptions, migrations: MigrationClass[], entities: EntitySchema[] = []): DataSource {
  const shared = { entities, migrations, migrationsRun: false, synchronize: false, logging: false };
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
export async function migrate(dataSource: DataSource): Promise<void> {
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
 * Brings the schema up to date on a data source of its own, then closes it. On PostgreSQL the
 * migrations run on two connections of their own (the lock's and the migrations'), whatever
 * the pool size, and without the requests' statement and query timeouts: waiting for another
 * instance's migrations, or building an index on a big table, may take longer than any request
 * should. Keepalive still notices a host that is gone.
 */
export async function migrateAndClose(target: DatabaseTarget, options: DatabaseOptions, migrations?: MigrationClass[]): Promise<void> {
  const settings = target.engine === 'postgres' ? { ...options, poolSize: 2, statementTimeoutMs: 0, queryTimeoutMs: 0 } : options;
  const migrator = dataSourceFor(target, settings, migrations ?? (await loadMigrations()));
  await migrator.initialize();
  try {
    await migrate(migrator);
  } finally {
    await migrator.destroy();
  }
}
