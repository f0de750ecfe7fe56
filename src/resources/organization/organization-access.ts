import { lockRow, type Sql } from '../../persistence/database.js';
import { isUuid } from '../../persistence/values.js';
import { AppError, notFound } from '../../problems/app-error.js';
import type { Role } from '../member/member.description.js';
import { INTEGRATION_RANK, may, mayAssign, SCOPE_ACTIONS, scopeCovering, type Action } from '../member/permissions.js';
import type { Partner } from '../partner/partner-repository.js';
import { parseScopes, type Scope } from '../partner/scopes.js';
import { requireAllowedAddress } from './ip-allowlist.js';
import { organizationRepository } from './organization-repository.js';
import type { OrganizationRow } from './organization.entity.js';

/**
 * The caller as use cases see it. Through HTTP it carries its token's scopes and the client
 * address of the request (req.ip, as TRUST_PROXY defines it); without an address, an
 * organization with an ip_allowlist refuses it.
 */
export type Actor = Partner & { scopes?: readonly Scope[]; address?: string };

export interface MemberAccess {
  kind: 'member';
  organization: OrganizationRow;
  membershipId: string;
  role: Role;
}

export interface IntegrationAccess {
  kind: 'integration';
  organization: OrganizationRow;
  integrationId: string;
  /** Granted here and carried by the token: the integration acts within both. */
  scopes: Scope[];
}

/** How the caller stands in an organization: a member with a role, or an installed integration with scopes. */
export type Access = MemberAccess | IntegrationAccess;

export interface AccessOptions {
  /**
   * Lock the organization for the rest of the transaction first: every change to its
   * members, invitations and integrations takes this lock, so checks such as "one owner must
   * remain" or "the organization is full" cannot interleave, across processes on PostgreSQL too.
   */
  lock?: boolean;
}

/**
 * The caller's access to the organization: 404 for a stranger, as if it did not exist; 403
 * for a member or integration whose request comes from outside the organization's
 * ip_allowlist. Every organization-scoped use case comes through here, so none can forget it.
 */
export async function accessTo(sql: Sql, caller: Actor, organizationId: string, options: AccessOptions = {}): Promise<Access> {
  if (!isUuid(organizationId)) throw notFound('organization');
  if (options.lock && !(await lockRow(sql, 'organization', organizationId))) throw notFound('organization');
  const standing = await organizationRepository.findWithStanding(sql, organizationId, caller.id);
  if (!standing || (!standing.membership && !standing.integration)) throw notFound('organization');
  requireAllowedAddress(standing.organization, caller.address);
  if (standing.membership) return { kind: 'member', organization: standing.organization, membershipId: standing.membership.id, role: standing.membership.role };
  const granted = parseScopes(standing.integration!.scopes);
  const scopes = caller.scopes ? granted.filter((scope) => caller.scopes!.includes(scope)) : granted;
  return { kind: 'integration', organization: standing.organization, integrationId: standing.integration!.id, scopes };
}

export function allows(access: Access, action: Action): boolean {
  if (access.kind === 'member') return may(access.role, action);
  return access.scopes.some((scope) => SCOPE_ACTIONS[scope].includes(action));
}

/** Who the caller is in the organization, for refusals: "A member with the admin role", "An integration". */
export function describe(access: Access): string {
  return access.kind === 'member' ? `A member with the ${access.role} role` : 'An integration';
}

export function forbidden(access: Access, action: string): AppError {
  return new AppError('forbidden', `${describe(access)} may not do this (${action}).`);
}

/** 403: for a member, its role lacks the right; for an integration, the scope that covers it was not granted. */
export function denied(access: Access, action: Action): AppError {
  if (access.kind === 'member') return forbidden(access, action);
  const scope = scopeCovering(action);
  if (!scope) return new AppError('forbidden', `An integration may not do this (${action}): it is for the organization's members.`);
  return new AppError('scope-not-granted', `This integration needs the ${scope} scope in this organization (for ${action}); it acts here with ${access.scopes.join(', ') || 'no scope'}. An owner or admin can grant it.`);
}

export function requirePermission(access: Access, action: Action): void {
  if (!allows(access, action)) throw denied(access, action);
}

/** The caller's access, when it allows `action`: 404 for strangers, 403 without the right. */
export async function authorize(sql: Sql, caller: Actor, organizationId: string, action: Action, options: AccessOptions = {}): Promise<Access> {
  const access = await accessTo(sql, caller, organizationId, options);
  requirePermission(access, action);
  return access;
}

/** Whether the caller may grant a role, or act on someone holding it: members by their rank, integrations at INTEGRATION_RANK. */
export function mayActOnRole(access: Access, role: Role): boolean {
  return mayAssign(access.kind === 'member' ? access.role : INTEGRATION_RANK, role);
}
