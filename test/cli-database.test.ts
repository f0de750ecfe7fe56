import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { PROJECT_ROOT } from '../src/project-root.js';
import { loadMigrations, MIGRATION_NAMES } from '../src/persistence/migrations/index.js';
import { RECORDED as RECORDED_ON_POSTGRES } from '../src/persistence/migrations/recorded/postgres.js';
import { RECORDED as RECORDED_ON_SQLITE } from '../src/persistence/migrations/recorded/sqlite.js';
import { recordMigrations } from '../src/persistence/migrations/recording.js';
import { freshPostgresDatabase } from './support/postgres.js';
import { projectCopy } from './support/project-copy.js';
import { runCli, startServerProcess, stop, type CliRun } from './support/processes.js';

const migrations = await loadMigrations();

const onPostgres = Boolean(process.env.DATABASE_URL?.startsWith('postgres'));
const dir = mkdtempSync(path.join(tmpdir(), 'linked-orgs-cli-database-'));
const cleanups: (() => unknown)[] = [() => rmSync(dir, { recursive: true, force: true })];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A database on the engine under test (DATABASE_URL's server, else a new SQLite file), empty. */
async function emptyDatabase(name: string): Promise<string> {
  if (!onPostgres) return `sqlite:${path.join(dir, `${name}.sqlite`)}`;
  const database = await freshPostgresDatabase(process.env.DATABASE_URL!);
  cleanups.push(database.drop);
  return database.url;
}

/** Runs the CLI against `url`, noting in a file every module it imports (test/support/log-imports.mjs). */
async function cliLoggingImports(url: string, ...args: string[]) {
  return cliOfProjectLoggingImports(PROJECT_ROOT, url, ...args);
}

/** The same, with the CLI of the project at `root` (a copy, see project-copy.ts). */
async function cliOfProjectLoggingImports(root: string, url: string, ...args: string[]) {
  const log = path.join(dir, `imports-${Math.random().toString(36).slice(2)}.log`);
  const run: CliRun = { root, env: { DATABASE_URL: url, IMPORTS_LOG: log }, nodeArgs: ['--import', path.join(PROJECT_ROOT, 'test/support/log-imports.mjs')] };
  const result = await runCli(run, ...args);
  const imported = existsSync(log) ? readFileSync(log, 'utf8').split('\n') : [];
  // The entities' EntitySchema class is one file of TypeORM's, imported alone: TypeORM itself is the rest.
  const typeorm = imported.filter((url) => url.includes('/node_modules/typeorm/') && !url.endsWith('/typeorm/entity-schema/EntitySchema.js'));
  return { ...result, json: result.code === 0 ? JSON.parse(result.stdout) : undefined, loadedTypeorm: typeorm.length > 0, imported };
}

/** A database on the engine under test with every migration run by TypeORM, as the server runs them. */
async function migratedByTypeorm(name: string, upTo = migrations.length): Promise<string> {
  const url = await emptyDatabase(name);
  const options = url.startsWith('sqlite:') ? { type: 'better-sqlite3' as const, database: url.slice('sqlite:'.length) } : { type: 'postgres' as const, url };
  const dataSource = new DataSource({ ...options, migrations: migrations.slice(0, upTo) });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
  return url;
}

/** Everything the database says of its schema: tables, columns, types, defaults, constraints, indexes, sequences, and the migrations it records. */
async function schemaOf(url: string): Promise<Record<string, unknown[]>> {
  if (url.startsWith('sqlite:')) {
    const db = new BetterSqlite3(url.slice('sqlite:'.length), { readonly: true, fileMustExist: true });
    try {
      return {
        objects: db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all(),
        migrations: db.prepare('SELECT id, timestamp, name FROM migrations ORDER BY id').all(),
      };
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = async (sql: string) => (await client.query(sql)).rows;
    return {
      columns: await rows('SELECT table_name, column_name, ordinal_position, data_type, character_maximum_length, is_nullable, column_default, collation_name FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position'),
      constraints: await rows('SELECT conrelid::regclass::text AS on_table, conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE connamespace = current_schema()::regnamespace ORDER BY 1, 2'),
      indexes: await rows('SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname'),
      sequences: await rows('SELECT sequencename, data_type, start_value, increment_by, last_value FROM pg_sequences WHERE schemaname = current_schema() ORDER BY 1'),
      migrations: await rows('SELECT id, timestamp, name FROM migrations ORDER BY id'),
    };
  } finally {
    await client.end();
  }
}

describe('The default database', () => {
  let project: ReturnType<typeof projectCopy>;
  beforeAll(() => {
    project = projectCopy();
    cleanups.push(project.remove);
  });

  it('When neither the server nor the CLI is given DATABASE_URL, then from any working directory both use data/linked-orgs.sqlite in the project and say so', async () => {
    const serverFolder = path.join(project.root, 'deploy', 'current');
    const elsewhere = path.join(dir, 'somewhere-else');
    for (const folder of [serverFolder, elsewhere]) mkdirSync(folder, { recursive: true });
    const expected = `sqlite:${path.join(project.root, 'data', 'linked-orgs.sqlite')}`;
    const server = await startServerProcess({ DATABASE_URL: '' }, serverFolder, project.root);
    try {
      const created = await runCli({ cwd: elsewhere, root: project.root, env: { DATABASE_URL: '' } }, 'partner', 'create', '--email', 'default@partner.example', '--name', 'Default');
      expect(created.code).toBe(0);
      const partner = JSON.parse(created.stdout);
      expect(partner.database).toBe(expected);

      const me = await fetch(`${server.base}/api/me`, { headers: { Authorization: `Bearer ${partner.token}` } });
      expect(me.status).toBe(200);
      const listed = await runCli({ cwd: path.join(project.root, 'deploy'), root: project.root, env: { DATABASE_URL: '' } }, 'token', 'list', '--email', 'default@partner.example');
      expect(JSON.parse(listed.stdout).tokens.map((t: { id: string }) => t.id)).toEqual([partner.token_id]);

      expect(existsSync(path.join(project.root, 'data', 'linked-orgs.sqlite'))).toBe(true);
      for (const folder of [serverFolder, elsewhere, path.join(project.root, 'deploy')]) expect(existsSync(path.join(folder, 'data'))).toBe(false);
      const listening = server.output().split('\n').find((line) => line.includes('Linked Orgs API listening'));
      expect(JSON.parse(listening!).database).toBe(expected);
    } finally {
      expect(await stop(server.child)).toBe(0);
    }
  });

  it('When DATABASE_URL is a relative sqlite:PATH, then it is relative to the working directory, and the CLI prints the absolute file', async () => {
    const cwd = path.join(dir, 'relative');
    mkdirSync(cwd);
    const created = await runCli({ cwd, env: { DATABASE_URL: 'sqlite:partners.sqlite' } }, 'partner', 'create', '--email', 'relative@partner.example', '--name', 'Relative');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout).database).toBe(`sqlite:${path.join(cwd, 'partners.sqlite')}`);
    expect(existsSync(path.join(cwd, 'partners.sqlite'))).toBe(true);
  });
});

describe('A command on an up-to-date database', () => {
  let url: string;
  beforeAll(async () => {
    url = await emptyDatabase('current');
    expect((await runCli({ env: { DATABASE_URL: url } }, 'partner', 'create', '--email', 'fast@partner.example', '--name', 'Fast')).code).toBe(0);
  });

  it('When every migration has run, then a command opens the database without loading TypeORM', async () => {
    const listed = await cliLoggingImports(url, 'token', 'list', '--email', 'fast@partner.example');
    expect(listed.code).toBe(0);
    expect(listed.json.tokens).toHaveLength(1);
    expect(listed.loadedTypeorm).toBe(false);
    const issued = await cliLoggingImports(url, 'token', 'create', '--email', 'fast@partner.example');
    expect(issued.code).toBe(0);
    expect(issued.loadedTypeorm).toBe(false);
  });

  it('When an operator clears an ip_allowlist, then the command reads the organization entity without loading TypeORM', async () => {
    const cleared = await cliLoggingImports(url, 'organization', 'clear-ip-allowlist', '--operator', 'Ops', '00000000-0000-4000-8000-000000000000');
    expect(cleared.stderr).toContain('No organization has the id 00000000-0000-4000-8000-000000000000');
    expect(cleared.imported.some((u) => u.endsWith('/organization/organization.entity.js'))).toBe(true);
    expect(cleared.loadedTypeorm).toBe(false);
  });
});

describe('A command on a new database', () => {
  it('When the database is new, then the CLI makes its schema from the migrations\' recording without TypeORM, nor the resource registry, jsonld or the other engine\'s driver', async () => {
    const url = await emptyDatabase('new');
    const created = await cliLoggingImports(url, 'partner', 'create', '--email', 'new@partner.example', '--name', 'New');
    expect(created.code).toBe(0);
    expect(created.loadedTypeorm).toBe(false);
    const loaded = (part: string) => created.imported.some((u) => u.includes(part));
    expect(loaded('/src/persistence/migrations/recorded/')).toBe(true);
    expect(loaded('/src/resources/registry.js')).toBe(false);
    expect(loaded('/node_modules/jsonld/')).toBe(false);
    expect(loaded(onPostgres ? '/node_modules/better-sqlite3/' : '/node_modules/pg/')).toBe(false);
    const listed = await cliLoggingImports(url, 'token', 'list', '--email', 'new@partner.example');
    expect(listed.json.tokens).toEqual([expect.objectContaining({ id: created.json.token_id })]);
  });

  it('When the CLI has made a new database\'s schema, then it is the schema TypeORM\'s migrations make, column for column and index for index, and a server started on it serves the partner', async () => {
    const url = await emptyDatabase('recorded');
    const created = await runCli({ env: { DATABASE_URL: url } }, 'partner', 'create', '--email', 'recorded@partner.example', '--name', 'Recorded');
    expect(created.code).toBe(0);
    const made = await schemaOf(url);
    expect(made).toEqual(await schemaOf(await migratedByTypeorm('reference')));
    expect(made.migrations.map((m) => (m as { name: string }).name)).toEqual([...MIGRATION_NAMES]);

    const server = await startServerProcess({ DATABASE_URL: url });
    try {
      const me = await fetch(`${server.base}/api/me`, { headers: { Authorization: `Bearer ${JSON.parse(created.stdout).token}` } });
      expect(me.status).toBe(200);
    } finally {
      expect(await stop(server.child)).toBe(0);
    }
    expect(await schemaOf(url)).toEqual(made);
  });

  it('When the migrations are recorded again now on this engine, then the committed recording is the same (else run `npm run record-migrations` with DATABASE_URL=postgres://…)', async () => {
    const target = onPostgres ? { engine: 'postgres' as const, url: await emptyDatabase('record') } : { engine: 'sqlite' as const, file: path.join(dir, 'record.sqlite') };
    expect(await recordMigrations(target)).toEqual(onPostgres ? RECORDED_ON_POSTGRES : RECORDED_ON_SQLITE);
  });

  it('When the recording lists fewer migrations than the code knows, then the CLI runs the migrations with TypeORM instead, and the schema is the same', async () => {
    const project = projectCopy();
    cleanups.push(project.remove);
    const recording = path.join(project.root, 'dist/src/persistence/migrations/recorded', `${onPostgres ? 'postgres' : 'sqlite'}.js`);
    const newest = MIGRATION_NAMES[MIGRATION_NAMES.length - 1];
    const behind = readFileSync(recording, 'utf8').replace(new RegExp(`,\\s*"${newest}"`), '');
    expect(behind).not.toContain(`"${newest}"`);
    writeFileSync(recording, behind);

    const url = await emptyDatabase('recording-behind');
    const created = await cliOfProjectLoggingImports(project.root, url, 'partner', 'create', '--email', 'behind@partner.example', '--name', 'Behind');
    expect(created.code).toBe(0);
    expect(created.loadedTypeorm).toBe(true);
    expect(await schemaOf(url)).toEqual(await schemaOf(await migratedByTypeorm('reference-of-behind')));
  });

  it('When a command and a server open one new database at the same moment, then the schema is made once and both work', async () => {
    if (!onPostgres) return; // On SQLite two first openers of one new file are not coordinated by TypeORM either.
    const url = await emptyDatabase('at-once');
    const [created, server] = await Promise.all([
      runCli({ env: { DATABASE_URL: url } }, 'partner', 'create', '--email', 'at-once@partner.example', '--name', 'At once'),
      startServerProcess({ DATABASE_URL: url }),
    ]);
    try {
      expect(created.code).toBe(0);
      const me = await fetch(`${server.base}/api/me`, { headers: { Authorization: `Bearer ${JSON.parse(created.stdout).token}` } });
      expect(me.status).toBe(200);
    } finally {
      expect(await stop(server.child)).toBe(0);
    }
    expect((await schemaOf(url)).migrations.map((m) => (m as { name: string }).name)).toEqual([...MIGRATION_NAMES]);
  });
});

describe('A command on a database a migration behind', () => {
  it('When the newest migration has not run, then the CLI runs it (loading TypeORM) before the command, and the next command needs no TypeORM', async () => {
    const url = await migratedByTypeorm('behind', migrations.length - 1);

    const created = await cliLoggingImports(url, 'partner', 'create', '--email', 'behind@partner.example', '--name', 'Behind');
    expect(created.code).toBe(0);
    expect(created.loadedTypeorm).toBe(true);
    const listed = await cliLoggingImports(url, 'token', 'list', '--email', 'behind@partner.example');
    expect(listed.loadedTypeorm).toBe(false);
    expect(listed.json.tokens).toEqual([expect.objectContaining({ id: created.json.token_id, last_used_at: null })]);
  });
});
