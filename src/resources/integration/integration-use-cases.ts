import { randomUUID } from 'node:crypto';
import type { MergePatch } from '../../input/merge-patch.js';
import { isUniqueViolation, type Database, type Sql } from '../../persistence/database.js';
import type { PageEdges, PageWindow } from '../../persistence/keyset.js';
import { isUuid, now } from '../../persistence/values.js';
import { AppError, notFound } from '../../problems/app-error.js';
import { invalid, violation } from '../../problems/violation.js';
import { auditRepository } from '../audit/audit-repository.js';
import { memberRepository } from '../member/member-repository.js';
import { mayGrant, SCOPE_ACTIONS, may } from '../member/permissions.js';
import { allowsAddress } from '../organization/ip-allowlist.js';
import { accessTo, authorize, forbidden, requirePermission, type Access, type Actor } from '../organization/organization-access.js';
import type { Precondition } from '../organization/organization-use-cases.js';
import { emailKey } from '../partner/email.js';
import { partnerRepository, type Partner } from '../partner/partner-repository.js';
import { SCOPES, type Scope } from '../partner/scopes.js';
import { integrationRepository as repository, type Integration } from './integration-repository.js';

export interface IntegrationInput {
  partner: string;
  scopes: Scope[];
  config?: Record<string, string>;
}

/** What a merge patch of an installation changes: scopes replaced, config merged key by key (null removes). */
export interface IntegrationChanges {
  scopes?: Scope[];
  config?: Record<string, string>;
}

type Page = { limit: number; offset: number };

/** In the order the scopes are documented, so equal grants read and compare the same. */
const ordered = (scopes: readonly Scope[]): Scope[] => SCOPES.filter((s) => scopes.includes(s));

/**
 * No escalation: a member grants, changes or disconnects only what its role could do itself
 * (an admin may not grant organization:write, which covers deleting the organization).
 */
function requireGrantable(access: Access, scopes: readonly Scope[], what: string): void {
  if (access.kind !== 'member') throw forbidden(access, what);
  const refused = scopes.find((scope) => !mayGrant(access.role, scope));
  if (refused) {
    const beyond = SCOPE_ACTIONS[refused].filter((action) => !may(access.role, action));
    throw new AppError('forbidden', `A member with the ${access.role} role may not ${what} ${refused}: it covers ${beyond.join(', ')}, which that role may not do.`);
  }
}

async function findIntegration(sql: Sql, organizationId: string, id: string): Promise<Integration> {
  const integration = isUuid(id) ? await repository.find(sql, organizationId, id) : undefined;
  if (!integration) throw notFound('integration');
  return integration;
}

async function findPartner(sql: Sql, reference: string): Promise<Partner> {
  // Ids are canonical in lower case; an upper-case copy still names the same partner.
  const id = reference.toLowerCase();
  const partner = isUuid(id) ? await partnerRepository.findById(sql, id) : await partnerRepository.findByEmailKey(sql, emailKey(reference));
  if (partner) return partner;
  throw invalid([violation('unknown_partner', 'partner', { reference: 'id or email address', hint: 'The integration must exist as a partner first: it gets its own token from the operator.' })]);
}

const stateOf = (integration: Pick<Integration, 'scopes' | 'config'>) => ({ scopes: integration.scopes, config: integration.config });

/** An integration acting on its own installation: it may read it (its scopes and config), and disconnect itself as a member may leave. */
const isItself = (access: Access, id: string) => access.kind === 'integration' && access.integrationId === id;

/** Members see every installation; an integration sees its own. */
export async function getIntegration(db: Database, caller: Actor, organizationId: string, id: string): Promise<Integration> {
  const access = await accessTo(db, caller, organizationId);
  if (!isItself(access, id)) requirePermission(access, 'integration:read');
  return findIntegration(db, organizationId, id);
}

export async function listIntegrations(db: Database, caller: Actor, organizationId: string, page: Page): Promise<{ items: Integration[]; total: number }> {
  await authorize(db, caller, organizationId, 'integration:read');
  const [items, total] = await Promise.all([repository.page(db, organizationId, page.limit, page.offset), repository.count(db, organizationId)]);
  return { items, total };
}

/** The installed partner must be neither a member nor installed already: it then sees the organization, within `scopes`. */
export async function installIntegration(db: Database, caller: Actor, organizationId: string, input: IntegrationInput): Promise<Integration> {
  try {
    const id = await db.transaction(async (tx) => {
      const access = await authorize(tx, caller, organizationId, 'integration:install', { lock: true });
      const scopes = ordered(input.scopes);
      requireGrantable(access, scopes, 'grant');
      const partner = await findPartner(tx, input.partner);
      if (await memberRepository.findByPartner(tx, organizationId, partner.id)) {
        throw new AppError('already-member', `${partner.email} is a member of this organization and acts with its role there; an integration is installed only where its partner is not a member.`);
      }
      if (await repository.isInstalled(tx, organizationId, partner.id)) throw alreadyInstalled(partner.email);
      const at = now();
      const row = { id: randomUUID(), organization_id: organizationId, partner_id: partner.id, scopes, config: input.config ?? {}, created_at: at, created_by: caller.id, updated_at: at };
      await repository.insert(tx, row);
      const after = { partner_id: partner.id, email: partner.email, ...stateOf({ scopes, config: row.config }) };
      await auditRepository.record(tx, { organizationId, actorId: caller.id, action: 'integration.installed', target: { type: 'integration', id: row.id }, after, at });
      return row.id;
    });
    return await findIntegration(db, organizationId, id);
  } catch (error) {
    // The unique installation is the last word should two installs ever pass the lock together.
    if (isUniqueViolation(error, 'partner_id')) throw alreadyInstalled(input.partner);
    throw error;
  }
}

function alreadyInstalled(who: string): AppError {
  return new AppError('integration-exists', `${who} is already installed in this organization: change that installation (PATCH) instead.`);
}

/** Scopes are replaced and config merged (the merge-patch step); the role must cover what the integration holds now and what it is to hold. */
export async function changeIntegration(db: Database, caller: Actor, organizationId: string, id: string, patch: MergePatch, precondition?: Precondition<Integration>): Promise<Integration> {
  await db.transaction(async (tx) => {
    const access = await authorize(tx, caller, organizationId, 'integration:change', { lock: true });
    const current = await findIntegration(tx, organizationId, id);
    precondition?.(current);
    requireGrantable(access, current.scopes, 'change an integration holding');
    const changes: IntegrationChanges = patch(current);
    const scopes = changes.scopes ? ordered(changes.scopes) : current.scopes;
    requireGrantable(access, scopes, 'grant');
    const config = changes.config ?? current.config;
    const changed = scopes.join(' ') !== current.scopes.join(' ') || JSON.stringify(config) !== JSON.stringify(current.config);
    if (!changed) return;
    const at = now();
    await repository.update(tx, current, { scopes, config, updated_at: at });
    await auditRepository.record(tx, { organizationId, actorId: caller.id, action: 'integration.changed', target: { type: 'integration', id }, before: stateOf(current), after: { scopes, config }, at });
  });
  return findIntegration(db, organizationId, id);
}

/** Owners and admins disconnect what they could have granted; an integration may disconnect itself. Takes effect on the next request. */
export async function disconnectIntegration(db: Database, caller: Actor, organizationId: string, id: string, precondition?: Precondition<Integration>): Promise<void> {
  await db.transaction(async (tx) => {
    const access = await accessTo(tx, caller, organizationId, { lock: true });
    const current = await findIntegration(tx, organizationId, id);
    precondition?.(current);
    if (!isItself(access, id)) {
      requirePermission(access, 'integration:disconnect');
      requireGrantable(access, current.scopes, 'disconnect an integration holding');
    }
    await repository.delete(tx, current);
    const before = { partner_id: current.partner_id, email: current.partner.email, ...stateOf(current) };
    await auditRepository.record(tx, { organizationId, actorId: caller.id, action: 'integration.disconnected', target: { type: 'integration', id }, before, at: now() });
  });
}

/** Where the caller is installed, by cursor or page number; from outside an organization's ip_allowlist, its installation shows only its ids. */
export async function listInstallations(db: Database, caller: Actor, page: PageWindow): Promise<{ items: (Integration & { ip_restricted?: true })[]; total: number; edges: PageEdges }> {
  const { items, total, edges } = await repository.keysetForPartner(db, caller.id, page);
  const seen = items.map((item) => (allowsAddress(item.organization_ip_allowlist ?? [], caller.address) ? item : { ...item, ip_restricted: true as const }));
  return { items: seen, total, edges };
}
