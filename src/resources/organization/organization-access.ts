import { lockRow, type Sql } from '../../persistence/database.js';
import { isUuid } from '../../persistence/values.js';
import { AppError, notFound } from '../../problems/app-error.js';
import { may, type Action } from '../member/permissions.js';
import type { Partner } from '../partner/partner-repository.js';
import { organizationRepository, type MemberAccess } from './organization-repository.js';

export interface AccessOptions {
  /**
   * Lock the organization for the rest of the transaction first: every change to its
   * members and invitations takes this lock, so checks such as "one owner must remain" or
   * "the organization is full" cannot interleave, across processes on PostgreSQL too.
   */
  lock?: boolean;
}

/** The caller's membership of the organization; 404 for a stranger, as if it did not exist. */
export async function membershipOf(sql: Sql, caller: Partner, organizationId: string, options: AccessOptions = {}): Promise<MemberAccess> {
  if (!isUuid(organizationId)) throw notFound('organization');
  if (options.lock && !(await lockRow(sql, 'organization', organizationId))) throw notFound('organization');
  const access = await organizationRepository.findForMember(sql, organizationId, caller.id);
  if (!access) throw notFound('organization');
  return access;
}

export function forbidden(access: Pick<MemberAccess, 'role'>, action: string): AppError {
  return new AppError('forbidden', `A member with the ${access.role} role may not do this (${action}).`);
}

export function requirePermission(access: MemberAccess, action: Action): void {
  if (!may(access.role, action)) throw forbidden(access, action);
}

/** The caller's membership, when its role allows `action`: 404 for strangers, 403 without the right. */
export async function authorize(sql: Sql, caller: Partner, organizationId: string, action: Action, options: AccessOptions = {}): Promise<MemberAccess> {
  const access = await membershipOf(sql, caller, organizationId, options);
  requirePermission(access, action);
  return access;
}
