/**
 * The name of every migration in index.ts, in the same order, without loading them: the CLI
 * compares these with the database's migrations table to skip importing TypeORM (most of a
 * command's time) when nothing is pending. openDatabase refuses to run if the two lists differ.
 */
export const MIGRATION_NAMES = [
  'InitialSchema1763900000000',
  'MembersAndInvitations1764000000000',
  'OrganizationNameKey1764100000000',
  'AuditIdempotencyScopes1764200000000',
  'KeysetPagination1764300000000',
  'Integrations1764400000000',
  'AutoJoinAndOperators1764600000000',
  'TokenLastUse1764700000000',
] as const;

/** True when every migration this code knows has run (`executed`: the names in the migrations table). */
export function allMigrationsRan(executed: Iterable<string>): boolean {
  const ran = new Set(executed);
  return MIGRATION_NAMES.every((name) => ran.has(name));
}
