import type { MigrationInterface } from 'typeorm';

export type MigrationClass = new () => MigrationInterface;

interface Migration<Name extends string> {
  /** The class's name, which TypeORM records in the migrations table once it has run. */
  name: Name;
  /** Imports the migration's file (and with it TypeORM); the type checker holds the file to exporting that class. */
  load: () => Promise<Record<Name, MigrationClass>>;
}

const migration = <Name extends string>(name: Name, load: () => Promise<Record<Name, MigrationClass>>): Migration<Name> => ({ name, load });

/**
 * Every migration, oldest first; they run on start. Add a new one here only. The files load
 * when the database is opened: the CLI compares the names with the database's migrations table
 * without importing TypeORM (most of a command's time) when nothing is pending.
 */
const MIGRATIONS: Migration<string>[] = [
  migration('InitialSchema1763900000000', () => import('./1763900000000-initial-schema.js')),
  migration('MembersAndInvitations1764000000000', () => import('./1764000000000-members-and-invitations.js')),
  migration('OrganizationNameKey1764100000000', () => import('./1764100000000-organization-name-key.js')),
  migration('AuditIdempotencyScopes1764200000000', () => import('./1764200000000-audit-idempotency-scopes.js')),
  migration('KeysetPagination1764300000000', () => import('./1764300000000-keyset-pagination.js')),
  migration('Integrations1764400000000', () => import('./1764400000000-integrations.js')),
  migration('AutoJoinAndOperators1764600000000', () => import('./1764600000000-auto-join-and-operators.js')),
  migration('TokenLastUse1764700000000', () => import('./1764700000000-token-last-use.js')),
  migration('Events1764900000000', () => import('./1764900000000-events.js')),
  migration('Webhooks1765000000000', () => import('./1765000000000-webhooks.js')),
  migration('EventSequencer1765100000000', () => import('./1765100000000-event-sequencer.js')),
  migration('PartnerTally1765200000000', () => import('./1765200000000-partner-tally.js')),
];

export const MIGRATION_NAMES: readonly string[] = MIGRATIONS.map((m) => m.name);

/** True when every migration this code knows has run (`executed`: the names in the migrations table). */
export function allMigrationsRan(executed: Iterable<string>): boolean {
  const ran = new Set(executed);
  return MIGRATION_NAMES.every((name) => ran.has(name));
}

/**
 * The migration classes, oldest first. TypeORM records each under its instance's `name`; one
 * that differed from its entry would make the CLI trust a schema a migration has yet to change.
 */
export async function loadMigrations(): Promise<MigrationClass[]> {
  const classes: MigrationClass[] = [];
  // One at a time: Jest's ESM loader fails on concurrent imports of modules that share dependencies.
  for (const { name, load } of MIGRATIONS) {
    const Migration = (await load())[name];
    const recorded = new Migration().name;
    if (recorded !== name) throw new Error(`The migration listed as ${name} in src/persistence/migrations/index.ts is recorded as ${recorded}: give both the same name.`);
    classes.push(Migration);
  }
  return classes;
}
