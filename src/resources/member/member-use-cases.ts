import { randomUUID } from 'node:crypto';
import type { Database, Sql } from '../../persistence/database.js';
import type { PageEdges, PageWindow } from '../../persistence/keyset.js';
import { isUuid, now } from '../../persistence/values.js';
import { AppError, notFound } from '../../problems/app-error.js';
import { invalid, violation } from '../../problems/violation.js';
import { auditRepository } from '../audit/audit-repository.js';
import { accessTo, authorize, denied, describe, mayActOnRole, requirePermission, seesMembers, type Access } from '../organization/organization-access.js';
import { requireRoomForOneMore } from '../organization/organization-capacity.js';
import type { Precondition } from '../organization/organization-use-cases.js';
import { emailKey } from '../partner/email.js';
import { partnerRepository, type Partner } from '../partner/partner-repository.js';
import { memberRepository, type Member } from './member-repository.js';
import type { MergePatch } from '../../input/merge-patch.js';
import type { Role } from './member.description.js';
import { integrationRepository } from '../integration/integration-repository.js';

async function findMember(sql: Sql, organizationId: string, id: string): Promise<Member> {
  const member = isUuid(id) ? await memberRepository.find(sql, organizationId, id) : undefined;
  if (!member) throw notFound('member');
  return member;
}

/** An organization keeps at least one owner; the organization's lock makes the count reliable. */
async function requireAnotherOwner(tx: Sql, member: Member): Promise<void> {
  if (member.role === 'owner' && (await memberRepository.countOwners(tx, member.organization_id)) <= 1) {
    throw new AppError('last-owner', 'This is the last owner of the organization: make another member owner first.');
  }
}

/** Admins manage members at or below the admin role, integrations plain members only; only owners touch the owner role. */
function requireRank(access: Access, role: Role, what: string): void {
  if (!mayActOnRole(access, role)) throw new AppError('forbidden', `${describe(access)} may not ${what} a member with the ${role} role.`);
}

/** A partner is a member or an installed integration of an organization, never both. */
export function installedHere(email: string): AppError {
  return new AppError('integration-installed', `${email} is installed in this organization as an integration: disconnect the integration first to make it a member.`);
}

/** The members collection answers by the rule that embeds members in organizations (seesMembers): 404 for strangers, else 403. */
async function authorizeSeeingMembers(sql: Sql, caller: Partner, organizationId: string): Promise<Access> {
  const access = await accessTo(sql, caller, organizationId);
  if (!seesMembers(access)) throw denied(access, 'member:read');
  return access;
}

/** Every member by cursor or page number in constant time; filtered by role, by page number with a count. */
export async function listMembers(db: Database, caller: Partner, organizationId: string, role: Role | undefined, page: PageWindow & { offset: number }): Promise<{ items: Member[]; total: number; edges?: PageEdges }> {
  const { organization } = await authorizeSeeingMembers(db, caller, organizationId);
  if (!role) {
    const total = organization.member_count;
    return { ...(await memberRepository.keysetPage(db, organizationId, page, total)), total };
  }
  const [items, total] = await Promise.all([memberRepository.page(db, organizationId, role, page.limit, page.offset), memberRepository.count(db, organizationId, role)]);
  return { items, total };
}

export async function getMember(db: Database, caller: Partner, organizationId: string, id: string): Promise<Member> {
  await authorizeSeeingMembers(db, caller, organizationId);
  return findMember(db, organizationId, id);
}

/** Adds an existing partner directly, without an invitation. */
export async function addMember(db: Database, caller: Partner, organizationId: string, input: { email: string; role: Role }): Promise<Member> {
  return db.transaction(async (tx) => {
    const access = await authorize(tx, caller, organizationId, 'member:add', { lock: true });
    requireRank(access, input.role, 'add');
    const at = now();
    await requireRoomForOneMore(tx, access.organization, at);
    const partner = await partnerRepository.findByEmailKey(tx, emailKey(input.email));
    if (!partner) {
      throw invalid([violation('unknown_partner', 'email', { reference: 'email address', hint: 'Invite them instead: POST to the invitations collection.' })]);
    }
    if (await memberRepository.findByPartner(tx, organizationId, partner.id)) throw new AppError('already-member', `${partner.email} is already a member of this organization.`);
    if (await integrationRepository.isInstalled(tx, organizationId, partner.id)) throw installedHere(partner.email);
    const member: Member = { id: randomUUID(), organization_id: organizationId, partner_id: partner.id, email: partner.email, name: partner.name, role: input.role, joined_at: at };
    await memberRepository.insert(tx, member);
    await auditRepository.record(tx, { organizationId, actorId: caller.id, action: 'member.added', target: { type: 'member', id: member.id }, after: { email: member.email, role: member.role }, at });
    return member;
  });
}

/** Nobody changes their own role (they leave instead), nor anyone's above their own; one owner always remains. */
/** `role` undefined (an empty merge patch) changes nothing, once the caller may change roles at all. */
export async function changeRole(db: Database, caller: Partner, organizationId: string, id: string, patch: MergePatch, precondition?: Precondition<Member>): Promise<Member> {
  return db.transaction(async (tx) => {
    const access = await authorize(tx, caller, organizationId, 'member:change-role', { lock: true });
    const member = await findMember(tx, organizationId, id);
    precondition?.(member);
    const role = patch(member).role as Role | undefined;
    if (role === undefined) return member;
    if (member.partner_id === caller.id) throw new AppError('forbidden', 'Nobody changes their own role: another owner or admin does it, or you leave the organization.');
    requireRank(access, member.role, 'change the role of');
    requireRank(access, role, 'grant');
    if (member.role === role) return member;
    if (role !== 'owner') await requireAnotherOwner(tx, member);
    await memberRepository.updateRole(tx, member.id, role);
    await auditRepository.record(tx, { organizationId, actorId: caller.id, action: 'member.role_changed', target: { type: 'member', id: member.id }, before: { role: member.role }, after: { role }, at: now() });
    return { ...member, role };
  });
}

/** Removing oneself is leaving, which every member may do; removing others needs the permission and the rank. */
export async function removeMember(db: Database, caller: Partner, organizationId: string, id: string, precondition?: Precondition<Member>): Promise<void> {
  await db.transaction(async (tx) => {
    const access = await accessTo(tx, caller, organizationId, { lock: true });
    const member = await findMember(tx, organizationId, id);
    precondition?.(member);
    if (member.partner_id !== caller.id) {
      requirePermission(access, 'member:remove');
      requireRank(access, member.role, 'remove');
    }
    await requireAnotherOwner(tx, member);
    await memberRepository.delete(tx, member);
    const action = member.partner_id === caller.id ? 'member.left' : 'member.removed';
    await auditRepository.record(tx, { organizationId, actorId: caller.id, action, target: { type: 'member', id: member.id }, before: { email: member.email, role: member.role }, at: now() });
  });
}
