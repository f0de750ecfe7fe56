import { randomUUID } from 'node:crypto';
import { isUniqueViolation, type Database } from '../../persistence/database.js';
import { lockRow } from '../../persistence/row-lock.js';
import type { PageEdges, PageWindow } from '../../persistence/keyset.js';
import { isUuid, now } from '../../persistence/values.js';
import { AppError, notFound } from '../../problems/app-error.js';
import { auditRepository } from '../audit/audit-repository.js';
import { invitationRepository } from '../invitation/invitation-repository.js';
import { memberRepository, type Member } from '../member/member-repository.js';
import { installedHere } from '../member/member-use-cases.js';
import { allowsAddress, requireAllowedAddress } from '../organization/ip-allowlist.js';
import type { Actor } from '../organization/organization-access.js';
import { requireRoomForOneMore } from '../organization/organization-capacity.js';
import { organizationRepository } from '../organization/organization-repository.js';
import { emailDomain, emailKey } from '../partner/email.js';
import { autoJoinRepository, domainKeys, type JoinableRow } from './joinable-repository.js';

/** A joinable organization as this caller may see it: only its ids when its ip_allowlist leaves out the caller's address. */
export interface Joinable extends JoinableRow {
  ip_restricted?: true;
}

const asSeenBy = (caller: Actor) => (row: JoinableRow): Joinable => (allowsAddress(row.ip_allowlist, caller.address) ? row : { ...row, ip_restricted: true });

/** Where the caller may join without an invitation: organizations listing its email domain, where it is neither a member nor installed. */
export async function listJoinable(db: Database, caller: Actor, page: PageWindow): Promise<{ items: Joinable[]; total: number; edges: PageEdges }> {
  const domain = emailDomain(caller.email);
  const total = await autoJoinRepository.count(db, domain, caller.id);
  const { items, edges } = await autoJoinRepository.keysetPage(db, domain, caller.id, page, total);
  return { items: items.map(asSeenBy(caller)), total, edges };
}

/** 404 unless the caller may join it; 403 from outside its ip_allowlist. */
export async function getJoinable(db: Database, caller: Actor, organizationId: string): Promise<Joinable> {
  const row = isUuid(organizationId) ? await autoJoinRepository.find(db, organizationId, emailDomain(caller.email), caller.id) : undefined;
  if (!row) throw notFound('joinable organization');
  requireAllowedAddress(row, caller.address);
  return row;
}

function pendingInvitation(): AppError {
  return new AppError('invitation-pending', 'An invitation for you is pending in this organization: accept it instead (it says which role you get), at /api/me/invitations.');
}

/**
 * The caller becomes a plain member, under the organization's lock (as every change of its
 * members), so max_members holds against concurrent joins, adds and invitations. The stored
 * settings decide, not the index, which only finds candidates. Audited as member.joined: the
 * member itself is the actor, where member.added names the one who added it.
 */
export async function joinOrganization(db: Database, caller: Actor, organizationId: string): Promise<Member> {
  try {
    return await db.transaction(async (tx) => {
      if (!isUuid(organizationId) || !(await lockRow(tx, 'organization', organizationId))) throw notFound('joinable organization');
      const standing = (await organizationRepository.findWithStanding(tx, organizationId, caller.id))!;
      const organization = standing.organization;
      const listed = !organization.is_personal && domainKeys(organization.auto_join_domains).includes(emailDomain(caller.email));
      // Who may not join, nor is there already, learns nothing about the organization.
      if (!listed && !standing.membership && !standing.integration) throw notFound('joinable organization');
      requireAllowedAddress(organization, caller.address);
      if (standing.membership) throw new AppError('already-member', 'You are already a member of this organization.');
      if (standing.integration) throw installedHere(caller.email);
      const at = now();
      if (await invitationRepository.hasPending(tx, organizationId, emailKey(caller.email), at)) throw pendingInvitation();
      await requireRoomForOneMore(tx, organization, at);
      const member: Member = { id: randomUUID(), organization_id: organizationId, partner_id: caller.id, email: caller.email, name: caller.name, role: 'member', joined_at: at };
      await memberRepository.insert(tx, member);
      const after = { email: member.email, role: member.role, domain: emailDomain(caller.email) };
      await auditRepository.record(tx, { organizationId, actorId: caller.id, action: 'member.joined', target: { type: 'member', id: member.id }, after, at });
      return member;
    });
  } catch (error) {
    // The unique membership is the last word should two joins ever pass the lock together.
    if (isUniqueViolation(error, 'partner_id')) throw new AppError('already-member', 'You are already a member of this organization.');
    throw error;
  }
}
