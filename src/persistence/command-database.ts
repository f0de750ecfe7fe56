import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Pool, PoolClient } from 'pg';
import { DATABASE_DEFAULTS, queryTimeoutFor } from './postgres-pool.js';
import { parseDatabaseUrl } from './database-url.js';
import type { Database, DatabaseOptions } from './database.js';
import { allMigrationsRan } from './migrations/index.js';
import { MIGRATION_LOCK_KEY } from './migration-lock.js';
import { currentRecording } from './migrations/recorded-migrations.js';

/**
 * Opens the database for one short command (the CLI). Importing TypeORM and checking its
 * migrations took most of a command's second and a half, so when the migrations table already
 * lists every migration this code knows, the plain driver is all it opens. A new database (no
 * migrations table) gets the migrations' recording (recorded-migrations.ts) in one transaction,
 * on the same driver. Otherwise (a pending migration, or a recording behind the code) TypeORM
 * runs the migrations alone (migrator.ts: no entities, so not the resource registry, nor the
 * server's writer thread and read connection) and is closed, and the command runs on the plain
 * driver: the migrations stay the one description of the schema. Each engine's modules load
 * only for it.
 */
export async function openCommandDatabase(options: DatabaseOptions & { url: string }): Promise<Database> {
  const target = parseDatabaseUrl(options.url);
  const openIfCurrent = () => (target.engine === 'sqlite' ? openSqliteIfCurrent(target.file, options) : openPostgresIfCurrent(target.url, options));
  const quick = await openIfCurrent();
  if (quick) return quick;
  // TypeORM runs the migrations and is closed; the command itself then runs on the plain driver.
  const { migrateAndClose } = await import('./migrator.js');
  await migrateAndClose(target, options);
  const migrated = await openIfCurrent();
  if (!migrated) throw new Error('The migrations ran but the migrations table does not list them all.');
  return migrated;
}

/** The same settings the server's connections use (database.ts), but on one connection. */
async function openSqliteIfCurrent(file: string, options: DatabaseOptions): Promise<Database | undefined> {
  const [{ default: BetterSqlite3 }, { sqliteConnectionDatabase }] = await Promise.all([import('better-sqlite3'), import('./sqlite-connection.js')]);
  // As TypeORM's driver does, a new file's folder is made (data/ for the default database).
  mkdirSync(path.dirname(file), { recursive: true });
  const connection = new BetterSqlite3(file);
  try {
    connection.pragma('busy_timeout = 5000');
    connection.pragma('journal_mode = WAL');
    connection.pragma(`synchronous = ${options.sqliteSynchronous ?? 'FULL'}`);
    connection.pragma('foreign_keys = ON');
    const hasMigrations = () => connection.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'").get() !== undefined;
    if (!hasMigrations()) {
      const recorded = await currentRecording('sqlite');
      if (recorded) {
        // Under the write lock, so that a server or command creating the schema at the same time is waited for, not repeated.
        connection.exec('BEGIN IMMEDIATE');
        try {
          if (!hasMigrations()) connection.exec(recorded.statements.join(';\n'));
          connection.exec('COMMIT');
        } finally {
          if (connection.inTransaction) connection.exec('ROLLBACK');
        }
      }
    }
    const executed = hasMigrations() ? connection.prepare('SELECT name FROM migrations').pluck().all() : [];
    if (allMigrationsRan(executed as string[])) return sqliteConnectionDatabase(connection);
  } catch (error) {
    connection.close();
    throw error;
  }
  connection.close();
  return undefined;
}

/**
 * pg checks whether it runs on Cloudflare Workers by constructing a fetch Response unless a
 * `navigator` global exists; on Node 20 (Node 21 and later define one) that loads Node's whole
 * fetch implementation, a sixth of a command's CPU time. Node 21's value tells pg the truth.
 */
function defineNavigatorAsNode21Does(): void {
  const global = globalThis as { navigator?: unknown };
  global.navigator ??= { userAgent: `Node.js/${process.versions.node.split('.')[0]}` };
}

async function openPostgresIfCurrent(url: string, options: DatabaseOptions): Promise<Database | undefined> {
  defineNavigatorAsNode21Does();
  const [{ default: pg }, { postgresDatabase }] = await Promise.all([import('pg'), import('./postgres.js')]);
  const pool = new pg.Pool({
    connectionString: url,
    max: 2,
    application_name: 'linked-orgs',
    connectionTimeoutMillis: options.connectTimeoutMs ?? DATABASE_DEFAULTS.connectTimeoutMs,
    statement_timeout: options.statementTimeoutMs ?? DATABASE_DEFAULTS.statementTimeoutMs,
    query_timeout: options.queryTimeoutMs ?? queryTimeoutFor(options.statementTimeoutMs ?? DATABASE_DEFAULTS.statementTimeoutMs),
    keepAlive: true,
  });
  // An idle client's error would otherwise end the command.
  pool.on('error', () => undefined);
  try {
    if (await migrationsRan(pool)) return postgresDatabase(pool, () => pool.end());
  } catch (error) {
    await pool.end();
    throw error;
  }
  await pool.end();
  return undefined;
}

/**
 * Whether every migration has run, after creating a new database's schema from the recording if
 * it is current. Under the lock the server's migrations take (migrator.ts), in a transaction, so
 * that instances and commands starting at once create it once.
 */
async function migrationsRan(pool: Pool): Promise<boolean> {
  const executed = async (client: Pool | PoolClient) => {
    const { rows } = await client.query<{ name: string }>('SELECT name FROM migrations');
    return allMigrationsRan(rows.map((row) => row.name));
  };
  try {
    return await executed(pool);
  } catch (error) {
    // 42P01: no migrations table yet, a new database.
    if ((error as { code?: string }).code !== '42P01') throw error;
  }
  const recorded = await currentRecording('postgres');
  if (!recorded) return false;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    const { rows } = await client.query<{ present: boolean }>("SELECT to_regclass('migrations') IS NOT NULL AS present");
    if (!rows[0].present) await client.query(recorded.statements.join(';\n'));
    await client.query('COMMIT');
    return await executed(client);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
