import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DataSource, type Logger } from 'typeorm';
import { PROJECT_ROOT } from '../../project-root.js';
import type { DatabaseTarget } from '../database-url.js';
import { loadMigrations, MIGRATION_NAMES } from './index.js';
import type { RecordedMigrations } from './recorded-migrations.js';

/**
 * Records the migrations (recorded-migrations.ts says why): runs them on an empty database and
 * keeps the statements TypeORM sends. Loaded only by `npm run record-migrations` and the tests.
 */

/** Reads (TypeORM's introspection) and transaction control: an empty database gives the reads the same answers every time. */
const NOT_RECORDED = /^\s*(SELECT|PRAGMA|BEGIN|START TRANSACTION|COMMIT|ROLLBACK)\b/i;

/** The only statement TypeORM sends with parameters here records a migration: a timestamp and a class name. */
function literal(value: unknown): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && /^[A-Za-z0-9_]+$/.test(value)) return `'${value}'`;
  throw new Error(`A recorded statement has a parameter that is neither a whole number nor a class name: ${JSON.stringify(value)}`);
}

function inlineParameters(query: string, parameters: unknown[] | undefined): string {
  if (!parameters?.length) return query;
  if (!/^\s*INSERT INTO "migrations"/.test(query)) throw new Error(`Only the migrations table's inserts may have parameters; this one does: ${query}`);
  let next = 0;
  return query.replace(/\$(\d+)|\?/g, (placeholder, n: string | undefined) => literal(parameters[n ? Number(n) - 1 : next++]));
}

/** Runs every migration on `target`, which must be an empty database, and returns what TypeORM sent. */
export async function recordMigrations(target: DatabaseTarget): Promise<RecordedMigrations> {
  const sent: { query: string; parameters?: unknown[] }[] = [];
  let recording = false;
  const logger: Logger = {
    logQuery: (query, parameters) => void (recording && sent.push({ query, parameters: parameters as unknown[] | undefined })),
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };
  const migrations = await loadMigrations();
  const connection = target.engine === 'postgres' ? { type: 'postgres' as const, url: target.url } : { type: 'better-sqlite3' as const, database: target.file };
  const dataSource = new DataSource({ ...connection, migrations, logging: true, logger });
  await dataSource.initialize();
  try {
    const [{ schema }] = target.engine === 'postgres' ? await dataSource.query('SELECT current_schema() AS schema') : [{ schema: undefined }];
    recording = true;
    await dataSource.runMigrations({ transaction: 'each' });
    recording = false;
    const statements = sent
      .filter(({ query }) => !NOT_RECORDED.test(query))
      .map(({ query, parameters }) => inlineParameters(query, parameters))
      // TypeORM names the schema it found in a few statements (DROP INDEX "public"."…"); a new
      // database's tables are made in its current schema, which unqualified names find first.
      .map((query) => (schema ? query.split(`"${schema}".`).join('') : query));
    return { engine: target.engine, migrations: [...MIGRATION_NAMES], statements };
  } finally {
    await dataSource.destroy();
  }
}

export const RECORDINGS_DIR = path.join(PROJECT_ROOT, 'src', 'persistence', 'migrations', 'recorded');

/** The module a recording is committed as: compiled with the code, so that a command imports it like any other. */
export function recordingModule(recorded: RecordedMigrations): string {
  return [
    `// Recorded by \`npm run record-migrations\` from the migrations in ../, run by TypeORM on an empty ${recorded.engine === 'postgres' ? 'PostgreSQL' : 'SQLite'} database.`,
    '// Do not edit: record again after adding a migration (test/cli-database.test.ts fails until then).',
    "import type { RecordedMigrations } from '../recorded-migrations.js';",
    '',
    `export const RECORDED: RecordedMigrations = ${JSON.stringify(recorded, null, 2)};`,
    '',
  ].join('\n');
}

export function writeRecording(recorded: RecordedMigrations): string {
  const file = path.join(RECORDINGS_DIR, `${recorded.engine}.ts`);
  writeFileSync(file, recordingModule(recorded));
  return file;
}
