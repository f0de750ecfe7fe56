import type { DatabaseTarget } from '../database-url.js';
import { MIGRATION_NAMES } from './index.js';

/**
 * The migrations, recorded: the statements TypeORM sends while it runs every migration on an
 * empty database, so that a command given a new database creates the same schema in one
 * transaction without loading TypeORM. On a new PostgreSQL database, TypeORM's import and its
 * migrations' 128 round trips and 12 commits were half a second of `partner create` (issue 17).
 * The migrations stay the one description of the schema: the recordings are made from them
 * (`npm run record-migrations`, recording.ts), a test records them again on each engine and
 * fails if the committed ones differ, and a recording is used only when it lists exactly the
 * migrations this code knows; otherwise TypeORM runs them, as the server always does.
 */
export interface RecordedMigrations {
  engine: DatabaseTarget['engine'];
  /** The migrations the statements apply, oldest first; the statements record each in the migrations table. */
  migrations: readonly string[];
  /** What TypeORM changed, in its order: its reads and transaction boundaries left out. */
  statements: readonly string[];
}

/** The recording for `engine`, if it applies every migration this code knows and no other. */
export async function currentRecording(engine: DatabaseTarget['engine']): Promise<RecordedMigrations | undefined> {
  const { RECORDED } = engine === 'postgres' ? await import('./recorded/postgres.js') : await import('./recorded/sqlite.js');
  const current = RECORDED.migrations.length === MIGRATION_NAMES.length && RECORDED.migrations.every((name, i) => name === MIGRATION_NAMES[i]);
  return current ? RECORDED : undefined;
}
