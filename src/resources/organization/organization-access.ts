import type { KeptValues, Sql } from '../../persistence/database.js';
import { lockRow } from '../../persistence/row-lock.js';
import { isUuid } from '../../persistence/values.js';
import { AppError, notFound } from '../../problems/app-error.js';
import type { Role } from '../member/member.description.js';
import type { Member } from '../member/member-repository.js';
import { INTEGRATION_RANK, may, mayAssign, SCOPE_ACTIONS, scopeCovering, type Action } from '../member/permissions.js';
import type { Partner } from '../partner/partner-repository.js';
import { insufficientScope, parseScopes, type Scope } from '../partner/scopes.js';
import { requireAllowedAddress } from './ip-allowlist.js';
import { organizationRepository, type StoredStanding } from './organization-repository.js';
import type { OrganizationRow } from './organization.entity.js';

/**
 * The caller as use cases see it. Through HTTP it carries its token's scopes and the client
 * address of the request (req.ip, as TRUST_PROXY defines it); without an address, an
 * organization with an ip_allowlist refuses it.
 */
export type Actor = Partner & { scopes?: readonly Scope[]; address?: string };

export interface MemberStanding {
  kind: 'member';
  role: Role;
  /** The token's scopes, when the call came through HTTP: they narrow what the role allows. */
  tokenScopes?: readonly Scope[];
}

export interface IntegrationStanding {
  kind: 'integration';
  /** Granted here and carried by the token: the integration acts within both. */
  scopes: Scope[];
}

/** What the rules read of a caller in one organization: a role narrowed by its token, or the scopes an integration acts with. */
export type Standing = MemberStanding | IntegrationStanding;

/** What every access holds besides the standing: the organization, and its members when they were read with it (AccessOptions.embedCap). */
interface AccessedOrganization {
  organization: OrganizationRow;
  embeddedMembers?: Member[];
}

export interface MemberAccess extends MemberStanding, AccessedOrganization {
  membershipId: string;
}

export interface IntegrationAccess extends IntegrationStanding, AccessedOrganization {
  integrationId: string;
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
  /** Read the members to embed, at most this many, with the organization when the engine can in the same statement (see findWithStanding). */
  embedCap?: number;
  /** The request's kept values (Sql.keptValues), where its caller's standing may be kept. */
  kept?: KeptValues;
}

/**
 * The caller's access to the organization: 404 for a stranger, as if it did not exist; 403
 * for a member or integration whose request comes from outside the organization's
 * ip_allowlist. Every organization-scoped use case comes through here, so none can forget it.
 */
export async function accessTo(sql: Sql, caller: Actor, organizationId: string, options: AccessOptions = {}): Promise<Access> {
  if (!isUuid(organizationId)) throw notFound('organization');
  if (options.lock && !(await lockRow(sql, 'organization', organizationId))) throw notFound('organization');
  const found = await organizationRepository.findWithStanding(sql, organizationId, caller.id, options.embedCap, options.kept);
  const { organization, membership, integration, embeddedMembers } = found ?? {};
  if (!organization || (!membership && !integration)) throw notFound('organization');
  requireAllowedAddress(organization, caller.address);
  const read = embeddedMembers && { embeddedMembers };
  if (membership) return { ...asMember(caller, membership.role), organization, membershipId: membership.id, ...read };
  return { ...asIntegration(caller, integration!.scopes), organization, integrationId: integration!.id, ...read };
}

function asMember(caller: Actor, role: Role): MemberStanding {
  return caller.scopes ? { kind: 'member', role, tokenScopes: caller.scopes } : { kind: 'member', role };
}

function asIntegration(caller: Actor, stored: string): IntegrationStanding {
  const granted = parseScopes(stored);
  return { kind: 'integration', scopes: caller.scopes ? granted.filter((scope) => caller.scopes!.includes(scope)) : granted };
}

/** The caller's standing from its stored membership or installation, with its token's scopes; undefined for a stranger. */
export function standingOf(caller: Actor, stored: StoredStanding): Standing | undefined {
  if (stored.membership) return asMember(caller, stored.membership.role);
  return stored.integration && asIntegration(caller, stored.integration.scopes);
}

/** Whether the token lets the action through: actions no scope covers (the audit trail, integrations) are the role's alone. */
function tokenAllows(tokenScopes: readonly Scope[] | undefined, action: Action): boolean {
  const scope = scopeCovering(action);
  return !tokenScopes || !scope || tokenScopes.includes(scope);
}

/** The one access rule: the role (or the scopes granted to an integration) allows the action, and so does the token. */
export function allows(standing: Standing, action: Action): boolean {
  if (standing.kind === 'member') return may(standing.role, action) && tokenAllows(standing.tokenScopes, action);
  return standing.scopes.some((scope) => SCOPE_ACTIONS[scope].includes(action));
}

/**
 * Whether the caller sees the organization's members, wherever they are shown: the members
 * collection, embedded in the organization, embedded in each organization of a list. Owners
 * are members, so they are shown or left out with them.
 */
export function seesMembers(standing: Standing): boolean {
  return allows(standing, 'member:read');
}

/** Who the caller is in the organization, for refusals: "A member with the admin role", "An integration". */
export function describe(access: Access): string {
  return access.kind === 'member' ? `A member with the ${access.role} role` : 'An integration';
}

export function forbidden(access: Access, action: string): AppError {
  return new AppError('forbidden', `${describe(access)} may not do this (${action}).`);
}

/** 403: for a member, its role (or its token) lacks the right; for an integration, the scope that covers it was not granted. */
export function denied(access: Access, action: Action): AppError {
  const scope = scopeCovering(action);
  if (access.kind === 'member') return scope && !tokenAllows(access.tokenScopes, action) ? insufficientScope(scope, access.tokenScopes!) : forbidden(access, action);
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
