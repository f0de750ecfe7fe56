import type { Scope } from '../partner/scopes.js';
import { ROLES, type Role } from './member.description.js';

const EVERY_ROLE = ROLES;

/**
 * What each role may do: the one table every permission check reads, and the README's
 * roles table. Two rules sit on top of it (see `mayAssign`): nobody grants or manages a role
 * above their own, and `members_can_invite` lets the other roles invite plain members.
 */
export const PERMISSIONS = {
  'organization:read': EVERY_ROLE,
  'organization:update': ['owner', 'admin'],
  'organization:update-billing': ['owner', 'admin', 'billing'],
  'organization:delete': ['owner'],
  'member:read': EVERY_ROLE,
  'member:add': ['owner', 'admin'],
  'member:change-role': ['owner', 'admin'],
  'member:remove': ['owner', 'admin'],
  'invitation:read': EVERY_ROLE,
  'invitation:create': ['owner', 'admin'],
  'invitation:revoke': ['owner', 'admin'],
  'audit:read': ['owner'],
  'integration:read': EVERY_ROLE,
  'integration:install': ['owner', 'admin'],
  'integration:change': ['owner', 'admin'],
  'integration:disconnect': ['owner', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof PERMISSIONS;

export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

export function may(role: Role, action: Action): boolean {
  return (PERMISSIONS[action] as readonly Role[]).includes(role);
}

/** owner > admin > billing > member. */
export function rank(role: Role): number {
  return ROLES.length - ROLES.indexOf(role);
}

/** No escalation: a role may be granted, and a member managed, only by someone at or above it. */
export function mayAssign(callerRole: Role, role: Role): boolean {
  return rank(callerRole) >= rank(role);
}

/** With `members_can_invite`, roles without the invitation permission may still invite plain members. */
export function mayInvite(callerRole: Role, role: Role, membersCanInvite: boolean): boolean {
  if (may(callerRole, 'invitation:create')) return mayAssign(callerRole, role);
  return membersCanInvite && role === 'member';
}

/**
 * What each token scope covers, as actions of the table above. An installed integration may
 * do an action when one of its granted scopes covers it; the audit trail and the integrations
 * themselves are covered by none, so they stay with the organization's members.
 */
export const SCOPE_ACTIONS: Record<Scope, readonly Action[]> = {
  'organization:read': ['organization:read'],
  'organization:write': ['organization:update', 'organization:update-billing', 'organization:delete'],
  'member:read': ['member:read'],
  'member:write': ['member:add', 'member:change-role', 'member:remove'],
  'invitation:read': ['invitation:read'],
  'invitation:write': ['invitation:create', 'invitation:revoke'],
};

/** No escalation through integrations either: a role grants only scopes whose every action it may do itself. */
export function mayGrant(role: Role, scope: Scope): boolean {
  return SCOPE_ACTIONS[scope].every((action) => may(role, action));
}

/** The scope that covers an action, if any. */
export function scopeCovering(action: Action): Scope | undefined {
  return (Object.keys(SCOPE_ACTIONS) as Scope[]).find((scope) => SCOPE_ACTIONS[scope].includes(action));
}

/**
 * The rank an integration acts at when it manages members and invitations: it adds, invites
 * and removes plain members only. A higher role would hand a partner it controls rights its
 * own scopes do not cover (an admin may install integrations and change settings), so roles
 * above member stay with people, whoever installed it.
 */
export const INTEGRATION_RANK: Role = 'member';
