import { Command, InvalidArgumentError } from 'commander';
import { openCommandDatabase } from '../persistence/command-database.js';
import type { Database } from '../persistence/database.js';
import { DEFAULT_DATABASE_URL, describeDatabase, parseDatabaseUrl } from '../persistence/database-url.js';
import { AppError } from '../problems/app-error.js';
import { createPartner, issueToken, listTokens, revokeToken } from '../resources/partner/partner-use-cases.js';
import { isScope, SCOPES, type Scope } from '../resources/partner/scopes.js';

// The CLI loads no more than its commands need (not TypeORM, see command-database.ts): it runs in about a quarter of a second.
const DATABASE_URL = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;

/** Where the command worked, on every line it prints: a command run against the wrong database must say so. */
function where(): { database?: string } {
  try {
    return { database: describeDatabase(parseDatabaseUrl(DATABASE_URL)) };
  } catch {
    return {};
  }
}

/** Opens DATABASE_URL (migrating it if needed), runs one command, prints one JSON line. */
async function withDatabase(work: (db: Database) => Promise<object>): Promise<void> {
  const database = await openCommandDatabase({ url: DATABASE_URL });
  try {
    console.log(JSON.stringify({ ...(await work(database)), ...where() }));
  } finally {
    await database.close();
  }
}

function days(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 3650) throw new InvalidArgumentError('a whole number of days from 1 to 3650');
  return n;
}

function scopeList(value: string): Scope[] {
  const scopes = value.split(/[\s,]+/).filter(Boolean);
  const unknown = scopes.filter((s) => !isScope(s));
  if (scopes.length === 0 || unknown.length) throw new InvalidArgumentError(`scopes are some of ${SCOPES.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`);
  return scopes as Scope[];
}

const program = new Command('linked-orgs').description('Manage the partners that call the Linked Orgs API (uses DATABASE_URL).');

program
  .command('partner')
  .description('Manage partners')
  .command('create')
  .description('Create a partner and print its first token (shown only this once) and that token\'s id')
  .requiredOption('--email <email>', 'the partner\'s email address')
  .requiredOption('--name <name>', 'the partner\'s display name')
  .action((options: { email: string; name: string }) =>
    withDatabase(async (db) => {
      const { id, email, name, token, token_id } = await createPartner(db, options);
      return { id, email, name, token, token_id };
    }),
  );

const token = program.command('token').description('Manage API tokens');
token
  .command('create')
  .description('Issue another token for a partner (shown only this once)')
  .requiredOption('--email <email>', 'the partner\'s email address')
  .option('--scopes <scopes>', `what the token may do, comma-separated (default: all of ${SCOPES.join(', ')})`, scopeList)
  .option('--expires-in <days>', 'expire the token after this many days', days)
  .action((options: { email: string; scopes?: Scope[]; expiresIn?: number }) =>
    withDatabase(async (db) => {
      const { id, token: secret, scopes, expires_at } = await issueToken(db, options.email, { scopes: options.scopes, expiresInDays: options.expiresIn });
      return { id, token: secret, scopes, expires_at };
    }),
  );
token
  .command('list')
  .description('List a partner\'s tokens: id, scopes, created, expiry, revocation and last use (to about a minute), never the secret')
  .requiredOption('--email <email>', 'the partner\'s email address')
  .action((options: { email: string }) => withDatabase((db) => listTokens(db, options.email)));
token
  .command('revoke')
  .description('Revoke a token by its id; requests with it get 401 from then on')
  .argument('<token-id>', 'the id printed when the token was created, or by token list')
  .action((id: string) =>
    withDatabase(async (db) => {
      await revokeToken(db, id);
      return { id, revoked: true };
    }),
  );

program
  .command('organization')
  .description('Recover organizations')
  .command('clear-ip-allowlist')
  .description("Empty an organization's ip_allowlist when nobody who should can reach it any more; recorded in its audit trail as organization.updated by the operator")
  .argument('<organization-id>', 'the id of the organization')
  .requiredOption('--operator <name>', 'who is doing this, as the audit trail will name them')
  // Loaded only for this command: the organization repository reads its columns from the
  // entity, which brings TypeORM, and the token commands stay on the quick path without it.
  .action((id: string, options: { operator: string }) =>
    withDatabase(async (db) => (await import('../resources/organization/organization-recovery.js')).clearIpAllowlist(db, id, options.operator)),
  );

try {
  await program.parseAsync();
} catch (error) {
  const message = error instanceof AppError ? error.detail : error instanceof Error ? error.message : String(error);
  console.error(JSON.stringify({ error: message, ...where() }));
  process.exitCode = error instanceof AppError ? 2 : 1;
}
