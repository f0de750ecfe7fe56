import { InitialSchema1763900000000 } from './1763900000000-initial-schema.js';
import { MembersAndInvitations1764000000000 } from './1764000000000-members-and-invitations.js';
import { OrganizationNameKey1764100000000 } from './1764100000000-organization-name-key.js';
import { AuditIdempotencyScopes1764200000000 } from './1764200000000-audit-idempotency-scopes.js';
import { KeysetPagination1764300000000 } from './1764300000000-keyset-pagination.js';
import { Integrations1764400000000 } from './1764400000000-integrations.js';
import { AutoJoinAndOperators1764600000000 } from './1764600000000-auto-join-and-operators.js';
import { TokenLastUse1764700000000 } from './1764700000000-token-last-use.js';

/** Every migration, oldest first; they run on start. Add each one's name to names.ts too. */
export const migrations = [InitialSchema1763900000000, MembersAndInvitations1764000000000, OrganizationNameKey1764100000000, AuditIdempotencyScopes1764200000000, KeysetPagination1764300000000, Integrations1764400000000, AutoJoinAndOperators1764600000000, TokenLastUse1764700000000];
