import { randomUUID } from 'node:crypto';
import { isUniqueViolation, type Database, type Sql } from '../../persistence/database.js';
import { lockRow } from '../../persistence/row-lock.js';
import { isUuid, now } from '../../persistence/values.js';
import { AppError, notFound } from '../../problems/app-error.js';
import { invalid, violation } from '../../problems/violation.js';
import { auditRepository } from '../audit/audit-repository.js';
import { memberRepository } from '../member/member-repository.js';
import type { Role } from '../member/member.description.js';
import { integrationRepository } from '../integration/integration-repository.js';
import { installedHere } from '../member/member-use-cases.js';
import { mayInvite } from '../member/permissions.js';
import { accessTo, allows, authorize, denied, forbidden, mayActOnRole, type Access, type Actor } from '../organization/organization-access.js';
import { allowsAddress, requireAllowedAddress } from '../organization/ip-allowlist.js';
import { requireRoomForOneMore, requireRoomToJoin } from '../organization/organization-capacity.js';
import { organizationRepository } from '../organization/organization-repository.js';
import { emailKey, normalizeEmail } from '../partner/email.js';
import type { Partner } from '../partner/partner-repository.js';
import { DEFAULT_INVITATION_DAYS, MAX_INVITATION_DAYS, type InvitationStatus } from './invitation.description.js';
import { invitationRepository as repository, statusAt, type Invitation } from './invitation-repository.js';

const DAY = 24 * 60 * 60 * 1000;

export interface InvitationInput {
  email: string;
  role: Role;
  expires_at?: string;
}

type Page = { limit: number; offset: number };

/** ISO 8601 in UTC, as stored; 422 unless in the future and at most 30 days ahead. */
function expiry(requested: string | undefined, at: string): string {
  const from = Date.parse(at);
  if (requested === undefined) return new Date(from + DEFAULT_INVITATION_DAYS * DAY).toISOString();
  const value = Date.parse(requested);
  if (value > from && value <= from + MAX_INVITATION_DAYS * DAY) return new Date(value).toISOString();
  const range = `in the future and at most ${MAX_INVITATION_DAYS} days ahead`;
  throw invalid([violation('out_of_range', 'expires_at', { range, hint: `Leave it out for ${DEFAULT_INVITATION_DAYS} days.` }, { latest: new Date(from + MAX_INVITATION_DAYS * DAY).toISOString() })]);
}

async function findInvitation(sql: Sql, organizationId: string, id: string): Promise<Invitation> {
  const invitation = isUuid(organizationId) && isUuid(id) ? await repository.find(sql, organizationId, id) : undefined;
  if (!invitation) throw notFound('invitation');
  return invitation;
}

function requirePending(invitation: Invitation, at: string): void {
  const status = statusAt(invitation, at);
  if (status === 'expired') throw new AppError('invitation-expired', `This invitation expired at ${invitation.expires_at}.`);
  if (status !== 'pending') throw new AppError('invitation-not-pending', `This invitation was already ${status}.`);
}

/** Members invite by their role (and members_can_invite); an integration needs invitation:write and invites plain members only. */
function requireInvitePermission(access: Access, role: Role): void {
  if (access.kind === 'member') {
    if (!mayInvite(access.role, role, access.organization.members_can_invite)) throw forbidden(access, `invitation:create as ${role}`);
    return;
  }
  if (!allows(access, 'invitation:create')) throw denied(access, 'invitation:create');
  if (!mayActOnRole(access, role)) throw forbidden(access, `invitation:create as ${role}`);
}

export async function createInvitation(db: Database, caller: Partner, organizationId: string, input: InvitationInput): Promise<Invitation> {
  const at = now();
  const expiresAt = expiry(input.expires_at, at);
  const email = normalizeEmail(input.email);
  const key = emailKey(email);
  try {
    const id = await db.transaction(async (tx) => {
      const access = await accessTo(tx, caller, organizationId, { lock: true });
      const organization = access.organization;
      requireInvitePermission(access, input.role);
      if (!organization.invites_enabled) throw new AppError('invitations-disabled', 'This organization does not accept new invitations (invites_enabled is false).');
      await requireRoomForOneMore(tx, organization, at);
      if (await memberRepository.isMemberByEmailKey(tx, organizationId, key)) throw new AppError('already-member', `${email} is already a member of this organization.`);
      if (await integrationRepository.isInstalledByEmailKey(tx, organizationId, key)) throw installedHere(email);
      await repository.releaseExpired(tx, organizationId, key, at);
      if (await repository.hasPending(tx, organizationId, key, at)) throw pendingAlready(email);
      const id = randomUUID();
      await repository.insert(tx, {
        id,
        organization_id: organizationId,
        email,
        email_key: key,
        pending_key: key,
        role: input.role,
        expires_at: expiresAt,
        created_at: at,
        created_by: caller.id,
        accepted_at: null,
        accepted_by: null,
        revoked_at: null,
        revoked_by: null,
      });
      await auditRepository.record(tx, { organizationId, actorId: caller.id, action: 'invitation.created', target: { type: 'invitation', id }, after: { email, role: input.role, expires_at: expiresAt }, at });
      return id;
    });
    return await findInvitation(db, organizationId, id);
  } catch (error) {
    // The unique (organization, pending email) index is the last word, even across instances.
    if (isUniqueViolation(error, 'pending_key')) throw pendingAlready(email);
    throw error;
  }
}

function pendingAlready(email: string): AppError {
  return new AppError('invitation-pending', `An invitation for ${email} is already pending in this organization.`);
}

export async function listInvitations(db: Database, caller: Partner, organizationId: string, status: InvitationStatus | undefined, page: Page): Promise<{ items: Invitation[]; total: number; at: string }> {
  await authorize(db, caller, organizationId, 'invitation:read');
  const at = now();
  const [items, total] = await Promise.all([repository.page(db, organizationId, status, at, page.limit, page.offset), repository.count(db, organizationId, status, at)]);
  return { items, total, at };
}

/**
 * Members with the read permission see every invitation; the invitee sees its own; anyone else
 * gets 404. The invitee is no member yet, so the organization's ip_allowlist is checked here.
 */
export async function getInvitation(db: Database, caller: Actor, organizationId: string, id: string): Promise<Invitation> {
  const invitation = await findInvitation(db, organizationId, id);
  if (invitation.email_key !== emailKey(caller.email)) {
    await authorize(db, caller, organizationId, 'invitation:read');
    return invitation;
  }
  requireAllowedAddress({ ip_allowlist: invitation.organization_ip_allowlist }, caller.address);
  return invitation;
}

export async function revokeInvitation(db: Database, caller: Partner, organizationId: string, id: string): Promise<Invitation> {
  await db.transaction(async (tx) => {
    await authorize(tx, caller, organizationId, 'invitation:revoke', { lock: true });
    const at = now();
    requirePending(await findInvitation(tx, organizationId, id), at);
    await repository.markRevoked(tx, id, at, caller.id);
    await auditRepository.record(tx, { organizationId, actorId: caller.id, action: 'invitation.revoked', target: { type: 'invitation', id }, before: { status: 'pending' }, after: { status: 'revoked' }, at });
  });
  return findInvitation(db, organizationId, id);
}

/**
 * The invitee becomes a member with the invited role, in the same transaction that marks the
 * invitation accepted, if the members have not reached max_members (see requireRoomToJoin).
 * The organization's lock and the unique membership make two concurrent accepts create one
 * membership, and two invitees racing for the last place fill it once.
 */
export async function acceptInvitation(db: Database, caller: Actor, organizationId: string, id: string): Promise<Invitation> {
  try {
    await db.transaction(async (tx) => {
      if (!isUuid(organizationId) || !(await lockRow(tx, 'organization', organizationId))) throw notFound('invitation');
      const invitation = await findInvitation(tx, organizationId, id);
      if (invitation.email_key !== emailKey(caller.email)) throw notFound('invitation');
      requireAllowedAddress({ ip_allowlist: invitation.organization_ip_allowlist }, caller.address);
      const at = now();
      requirePending(invitation, at);
      const { organization, membership, integration } = (await organizationRepository.findWithStanding(tx, organizationId, caller.id))!;
      if (membership) throw new AppError('already-member', 'You are already a member of this organization.');
      if (integration) throw installedHere(caller.email);
      await requireRoomToJoin(tx, organization, at);
      const memberId = randomUUID();
      await memberRepository.insert(tx, { id: memberId, organization_id: organizationId, partner_id: caller.id, role: invitation.role, joined_at: at });
      await repository.markAccepted(tx, id, at, caller.id);
      const after = { status: 'accepted', role: invitation.role, member_id: memberId };
      await auditRepository.record(tx, { organizationId, actorId: caller.id, action: 'invitation.accepted', target: { type: 'invitation', id }, before: { status: 'pending' }, after, at });
    });
  } catch (error) {
    // The unique membership is the last word should two accepts ever pass the lock together.
    if (isUniqueViolation(error, 'partner_id')) throw new AppError('invitation-not-pending', 'This invitation was already accepted.');
    throw error;
  }
  return findInvitation(db, organizationId, id);
}

/** In an organization whose ip_allowlist leaves out the caller's address, an invitation shows only its ids, as reading it would be a 403. */
export async function listMyInvitations(db: Database, caller: Actor, page: Page): Promise<{ items: (Invitation & { ip_restricted?: true })[]; total: number; at: string }> {
  const at = now();
  const key = emailKey(caller.email);
  const [rows, total] = await Promise.all([repository.pagePendingFor(db, key, at, page.limit, page.offset), repository.countPendingFor(db, key, at)]);
  const items = rows.map((row) => (allowsAddress(row.organization_ip_allowlist, caller.address) ? row : { ...row, ip_restricted: true as const }));
  return { items, total, at };
}
