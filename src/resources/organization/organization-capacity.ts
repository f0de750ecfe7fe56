import type { Sql } from '../../persistence/database.js';
import { AppError } from '../../problems/app-error.js';
import { invitationRepository } from '../invitation/invitation-repository.js';
import type { OrganizationRow } from './organization.entity.js';

/** "1 member", "2 members". */
function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function full(organization: OrganizationRow, pending: number): AppError {
  const held = [counted(organization.member_count, 'member'), ...(pending ? [counted(pending, 'pending invitation')] : [])].join(' and ');
  return new AppError('organization-full', `The organization is full: its max_members is ${organization.max_members} and it has ${held}.`);
}

/**
 * Whether one more member or pending invitation fits: not in a personal organization, and
 * within max_members (members plus pending invitations). Call it under the organization's lock.
 */
export async function requireRoomForOneMore(tx: Sql, organization: OrganizationRow, at: string): Promise<void> {
  if (organization.is_personal) {
    throw new AppError('personal-organization', 'This is a personal organization: its owner is its only member, so nobody can be invited or added.');
  }
  if (organization.max_members > 0) {
    const pending = await invitationRepository.countPending(tx, organization.id, at);
    if (organization.member_count + pending >= organization.max_members) throw full(organization, pending);
  }
}

/**
 * Whether an invitee may join by accepting. Its invitation held a place while pending and
 * accepting turns that place into a membership, so only the members are counted: accepting
 * is refused once they reach max_members. When max_members was lowered below members plus
 * pending invitations, the invitations are thus accepted first come, first served until the
 * members reach it. Call it under the organization's lock.
 */
export async function requireRoomToJoin(tx: Sql, organization: OrganizationRow, at: string): Promise<void> {
  if (organization.max_members > 0 && organization.member_count >= organization.max_members) {
    throw full(organization, await invitationRepository.countPending(tx, organization.id, at));
  }
}
