import { existsSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { copyDatabase, TargetNotEmptyError } from '../persistence/copy-database.js';
import { openDatabase } from '../persistence/database.js';
import { parseDatabaseUrl, type DatabaseTarget } from '../persistence/database-url.js';

/** A mistake in the command line: exit code 2, as the linked-orgs CLI uses for refused input. */
class UsageError extends Error {}

// The message never echoes the URL: it may carry a password.
function parse(option: string, url: string): DatabaseTarget {
  try {
    return parseDatabaseUrl(url);
  } catch {
    throw new UsageError(`${option} must be sqlite:PATH or postgres://user@host:port/db.`);
  }
}

async function open(option: string, url: string) {
  try {
    return await openDatabase({ url });
  } catch (error) {
    throw new Error(`${option}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function copy(options: { from: string; to: string }): Promise<void> {
  const from = parse('--from', options.from);
  const to = parse('--to', options.to);
  // Opening a missing SQLite file would create an empty one and "copy" nothing.
  if (from.engine === 'sqlite' && !existsSync(from.file)) throw new UsageError(`--from: there is no SQLite database at ${from.file}.`);
  if (JSON.stringify(from) === JSON.stringify(to)) throw new UsageError('--from and --to name the same database.');

  const source = await open('--from', options.from);
  try {
    const target = await open('--to', options.to);
    try {
      console.log(JSON.stringify({ copied: await copyDatabase(source, target) }));
    } finally {
      await target.database.close();
    }
  } finally {
    await source.database.close();
  }
}

const program = new Command('db-copy')
  .description('Copy every row of a Linked Orgs database into another, empty one (e.g. SQLite to PostgreSQL).')
  .requiredOption('--from <url>', 'the database to read: sqlite:PATH or postgres://…')
  .requiredOption('--to <url>', 'the empty database to write, created or migrated first: sqlite:PATH or postgres://…')
  .exitOverride()
  .configureOutput({ outputError: () => undefined }) // errors go out below, as JSON
  .action(copy);

try {
  await program.parseAsync();
} catch (error) {
  if (!(error instanceof CommanderError && error.exitCode === 0)) {
    const message = error instanceof Error ? error.message.replace(/^error: /, '') : String(error);
    const tables = error instanceof TargetNotEmptyError ? { tables: error.tables } : {};
    console.error(JSON.stringify({ error: message, ...tables }));
    process.exitCode = error instanceof UsageError || error instanceof CommanderError ? 2 : 1;
  }
}
