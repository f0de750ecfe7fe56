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
