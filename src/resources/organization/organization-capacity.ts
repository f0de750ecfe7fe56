import type { Sql } from '../../persistence/database.js';
import { AppError } from '../../problems/app-error.js';
import { invitationRepository } from '../invitation/invitation-repository.js';
import type { OrganizationRow } from './organization.entity.js';

/**
 * Whether one more member or pending invitation fits: not in a personal organization, and
 * within max_members (members plus pending invitations). Call it under the organization's lock.
 */
export async function requireRoomForOneMore(tx: Sql, organization: OrganizationRow, at: string): Promise<void> {
  if (organization.is_personal) {
    throw new AppError('personal-organization', 'This is a personal organization: its owner is its only member, so nobody can be invited or added.');
  }
  if (organization.max_members > 0) {
    const taken = organization.member_count + (await invitationRepository.countPending(tx, organization.id, at));
    if (taken >= organization.max_members) {
      throw new AppError('organization-full', `The organization is full: ${organization.member_count} members and ${taken - organization.member_count} pending invitations reach its max_members of ${organization.max_members}.`);
    }
  }
}
