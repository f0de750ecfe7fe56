import type { Role } from './member.description.js';

/**
 * What each role may do. The one table every permission check reads; the members issue
 * extends it with member and invitation actions.
 */
export const PERMISSIONS = {
  'organization:read': ['owner', 'admin', 'billing', 'member'],
  'organization:update': ['owner', 'admin'],
  'organization:delete': ['owner'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof PERMISSIONS;

export function may(role: Role, action: Action): boolean {
  return (PERMISSIONS[action] as readonly Role[]).includes(role);
}
