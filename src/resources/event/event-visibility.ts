import type { Params } from '../../persistence/database.js';
import { AUDIT_TARGETS } from '../audit/audit-event.entity.js';
import { ROLES } from '../member/member.description.js';
import { SCOPE_ACTIONS, type Action } from '../member/permissions.js';
import { allows } from '../organization/organization-access.js';
import { SCOPES, type Scope } from '../partner/scopes.js';

/** The permission a reader needs to see an event: that of reading the kind of resource it changed (`member:read`). */
const readAction = (category: string) => `${category}:read` as Action;

/** A condition on the event row `e` with its parameters. */
export interface Condition {
  sql: string;
  params: Params;
}

const or = (parts: Condition[]): Condition => (parts.length ? { sql: `(${parts.map((p) => p.sql).join(' OR ')})`, params: parts.flatMap((p) => p.params) } : { sql: '1 = 0', params: [] });

/** As a member, now (membership) or when the organization was deleted (former_reader): the pairs of role and kind of resource the roles table, narrowed by the token, lets it read. */
function asMember(table: string, partnerId: string, tokenScopes: readonly Scope[] | undefined): Condition {
  const pairs = ROLES.flatMap((role) => AUDIT_TARGETS.filter((c) => allows({ kind: 'member', role, ...(tokenScopes && { tokenScopes }) }, readAction(c))).map((c) => ({ sql: '(m.role = ? AND e.category = ?)', params: [role, c] })));
  const allowed = or(pairs);
  return { sql: `EXISTS (SELECT 1 FROM ${table} m WHERE m.organization_id = e.organization_id AND m.partner_id = ? AND ${allowed.sql})`, params: [partnerId, ...allowed.params] };
}

/** As an installed integration, now or then: the kinds of resource a scope granted there (and carried by the token) covers; integration events none. */
function asIntegration(table: string, partnerId: string, tokenScopes: readonly Scope[] | undefined): Condition {
  const usable = SCOPES.filter((s) => !tokenScopes || tokenScopes.includes(s));
  const pairs = AUDIT_TARGETS.flatMap((c) => usable.filter((s) => SCOPE_ACTIONS[s].includes(readAction(c))).map((s) => ({ sql: `(e.category = ? AND (' ' || n.scopes || ' ') LIKE ?)`, params: [c, `% ${s} %`] })));
  const allowed = or(pairs);
  return { sql: `EXISTS (SELECT 1 FROM ${table} n WHERE n.organization_id = e.organization_id AND n.partner_id = ? AND n.scopes IS NOT NULL AND ${allowed.sql})`, params: [partnerId, ...allowed.params] };
}

/**
 * The events a partner may read, as a condition on `e`: those of organizations it belongs to
 * or is installed into, of the kinds it may read there now (roles table and scopes, its
 * token's scopes too); of a deleted organization, as it stood there when it was deleted.
 */
export function visibleTo(partnerId: string, tokenScopes?: readonly Scope[]): Condition {
  return or([
    asMember('membership', partnerId, tokenScopes),
    asIntegration('integration', partnerId, tokenScopes),
    asMember('former_reader', partnerId, tokenScopes),
    asIntegration('former_reader', partnerId, tokenScopes),
  ]);
}
