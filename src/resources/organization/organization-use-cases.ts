import { randomUUID } from 'node:crypto';
import { AppError } from '../../problems/app-error.js';
import { isUniqueViolation, type Database, type KeptValues, type Sql } from '../../persistence/database.js';
import { now } from '../../persistence/values.js';
import { auditRepository } from '../audit/audit-repository.js';
import { defaultValues, writableProperties } from '../description.js';
import { embeddedMembers } from '../member/embedded-members.js';
import { memberRepository, type Member } from '../member/member-repository.js';
import type { Action } from '../member/permissions.js';
import type { Partner } from '../partner/partner-repository.js';
import { autoJoinRepository } from '../joinable/joinable-repository.js';
import { allowsAddress } from './ip-allowlist.js';
import { accessTo, allows, authorize, denied, seesMembers, standingOf, type Access, type Actor } from './organization-access.js';
import { requireConsistentSettings } from './organization-settings-rules.js';
import type { PageEdges, PageWindow } from '../../persistence/keyset.js';
import { organizationRepository as repository, type OrganizationQuery, type StoredStanding } from './organization-repository.js';
import type { OrganizationRow } from './organization.entity.js';
import { EMBEDDED_MEMBERS_CAP, organizationDescription } from './organization.description.js';
import { firstFreeSlug, randomSlug, slugCandidates, slugify } from './slug.js';

export interface Organization extends OrganizationRow {
  /** Absent when the caller may not see members (see seesMembers): it sees the organization without them. */
  members?: Member[];
  /** In a list, for an organization whose ip_allowlist leaves out the caller's address: only its id is shown. */
  ip_restricted?: true;
}

/** A check of the current state, run inside the change's transaction before anything is written (If-Match). */
export type Precondition<T> = (current: T) => void;

export type OrganizationInput = Partial<Omit<OrganizationRow, 'id' | 'personal_owner_id' | 'member_count' | 'created_at' | 'updated_at'>>;

/**
 * The rows with their members embedded, for those whose members the caller sees (`shown`);
 * `read`: the members already read with the rows (PostgreSQL's page statement), else read here.
 */
async function withMembers(sql: Sql, rows: OrganizationRow[], shown: (row: OrganizationRow) => boolean, read?: Map<string, Member[]>): Promise<Organization[]> {
  const embedding = rows.filter(shown);
  const byOrganization = new Map<string, Member[]>(embedding.map((row) => [row.id, read?.get(row.id) ?? []]));
  if (!read) for (const member of await embeddedMembers(sql, embedding, EMBEDDED_MEMBERS_CAP)) byOrganization.get(member.organization_id)?.push(member);
  return rows.map((row) => (byOrganization.has(row.id) ? { ...row, members: byOrganization.get(row.id)! } : { ...row }));
}

/** The organization as this caller may see it: members (and so owners) embedded only if it sees them. */
async function asSeenBy(sql: Sql, access: Access, row: OrganizationRow): Promise<Organization> {
  if (access.embeddedMembers && access.organization === row) return seesMembers(access) ? { ...row, members: access.embeddedMembers } : { ...row };
  return (await withMembers(sql, [row], () => seesMembers(access)))[0];
}

/** The settings as the audit trail keeps them: every writable property. */
function settingsOf(row: OrganizationRow): Record<string, unknown> {
  return Object.fromEntries(writableProperties(organizationDescription, 'create').map((k) => [k, row[k as keyof OrganizationRow] ?? null]));
}

/**
 * The first try writes the name's own slug without reading: most names are new, and the read
 * was a round trip in every creation (PostgreSQL POST 1,361 to 1,527 a second without it, issue 17's note).
 * When the unique index refuses it, the second try reads which readable candidates are free;
 * creations racing for the same name may all read the same one, so later tries take a random
 * suffix, which does not collide.
 */
async function chooseSlug(tx: Sql, requested: string | undefined, name: string, attempt: number): Promise<string> {
  if (requested) return requested;
  const base = slugify(name);
  if (attempt === 1) return base;
  if (attempt > 2) return randomSlug(base);
  return firstFreeSlug(base, await repository.takenSlugs(tx, slugCandidates(base)));
}

function slugTaken(slug: string): AppError {
  return new AppError('slug-taken', `The slug "${slug}" is already used by another organization.`);
}

/** The name's slug, a free one read before the write, then random suffixes (chooseSlug). */
const SLUG_ATTEMPTS = 4;

/**
 * One batch (organization, owner's membership, its auto-join domains, audit entry): nothing in
 * it reads, so the commit runs off the event loop.
 */
export async function createOrganization(db: Database, caller: Actor, input: OrganizationInput & { name: string }): Promise<Organization> {
  const at = now();
  const values = { ...(defaultValues(organizationDescription) as OrganizationInput), ...input } as OrganizationInput & Pick<OrganizationRow, 'is_personal' | 'ip_allowlist' | 'auto_join_domains'>;
  requireConsistentSettings(values, Object.keys(values), caller.address);
  for (let attempt = 1; ; attempt++) {
    const row = {
      ...values,
      id: randomUUID(),
      slug: await chooseSlug(db, input.slug, input.name, attempt),
      personal_owner_id: values.is_personal ? caller.id : null,
      // Its owner, written in the same batch (whose statements may not change each other's rows).
      member_count: 1,
      created_at: at,
      updated_at: at,
    } as OrganizationRow;
    const owner: Member = { id: randomUUID(), organization_id: row.id, partner_id: caller.id, email: caller.email, name: caller.name, role: 'owner', joined_at: at };
    try {
      await db.batch([
        repository.insertStatement(row),
        ...memberRepository.insertStatements(owner, { counted: true }),
        ...autoJoinRepository.insertStatements(row.id, row.auto_join_domains, at),
        ...auditRepository.recordStatements({ organizationId: row.id, actorId: caller.id, action: 'organization.created', target: { type: 'organization', id: row.id }, after: settingsOf(row), at }, db.engine),
      ]);
      // The caller is the only member: no need to read the members back.
      return { ...row, member_count: 1, ...(seesMembers(standingOf(caller, { membership: owner })!) && { members: [owner] }) };
    } catch (error) {
      if (isUniqueViolation(error, 'personal_owner_id')) throw new AppError('personal-organization-exists', 'The caller already has a personal organization; a partner may have only one.');
      if (!isUniqueViolation(error, 'slug')) throw error;
      if (input.slug) throw slugTaken(input.slug);
      if (attempt === SLUG_ATTEMPTS) throw error;
    }
  }
}

/**
 * The caller's access to read the organization (404, 403 as authorize refuses), and then the
 * organization as it sees it. `view` names what its representation depends on besides the
 * organization's own state: whether the caller sees the members. Two callers with the same
 * view see the same representation (a kept one, sendKeptRepresentation, needs no more).
 */
export async function readableOrganization(db: Database, caller: Actor, id: string, kept?: KeptValues): Promise<{ view: 'with-members' | 'without-members'; seen(): Promise<Organization> }> {
  const access = await authorize(db, caller, id, 'organization:read', { embedCap: EMBEDDED_MEMBERS_CAP, kept });
  return { view: seesMembers(access) ? 'with-members' : 'without-members', seen: () => asSeenBy(db, access, access.organization) };
}

/**
 * Billing settings need only the billing permission; auto_join_domains member:add too (it admits
 * members); any other setting (or an empty patch) the full update permission.
 */
function requiredPermissions(keys: string[]): Action[] {
  const properties = organizationDescription.properties;
  const actions = keys.flatMap((k) => [properties[k]?.changePermission ?? 'organization:update'].flat() as Action[]);
  return actions.length ? [...new Set(actions)] : ['organization:update'];
}

/**
 * `keys` are the settings the request touches; `change` gets the stored organization and
 * returns only what differs from it; nothing else is written.
 */
export async function updateOrganization(
  db: Database,
  caller: Actor,
  id: string,
  keys: string[],
  change: (current: OrganizationRow) => OrganizationInput,
  precondition?: Precondition<Organization>,
): Promise<Organization> {
  try {
    const [access, row] = await db.transaction(async (tx) => {
      const access = await accessTo(tx, caller, id, { lock: true });
      const refused = requiredPermissions(keys).find((action) => !allows(access, action));
      if (refused) throw denied(access, refused);
      const current = access.organization;
      if (precondition) precondition(await asSeenBy(tx, access, current));
      const changes = change(current);
      if (Object.keys(changes).length === 0) return [access, current] as const;
      const updated = { ...current, ...changes, updated_at: now() };
      requireConsistentSettings(updated, Object.keys(changes), caller.address);
      await repository.update(tx, id, { ...changes, updated_at: updated.updated_at });
      if (changes.auto_join_domains) await autoJoinRepository.replace(tx, id, changes.auto_join_domains, current.created_at);
      const before = Object.fromEntries(Object.keys(changes).map((k) => [k, current[k as keyof OrganizationRow] ?? null]));
      await auditRepository.record(tx, { organizationId: id, actorId: caller.id, action: 'organization.updated', target: { type: 'organization', id }, before, after: changes, at: updated.updated_at });
      return [access, updated] as const;
    });
    return await asSeenBy(db, access, row);
  } catch (error) {
    if (isUniqueViolation(error, 'slug')) throw new AppError('slug-taken', 'That slug is already used by another organization.');
    throw error;
  }
}

export async function deleteOrganization(db: Database, caller: Actor, id: string, precondition?: Precondition<Organization>): Promise<void> {
  await db.transaction(async (tx) => {
    const access = await authorize(tx, caller, id, 'organization:delete', { lock: true });
    const organization = access.organization;
    if (precondition) precondition(await asSeenBy(tx, access, organization));
    // Recorded first: the deletion's event names who could read it, from the memberships the delete removes.
    await auditRepository.record(tx, { organizationId: id, actorId: caller.id, action: 'organization.deleted', target: { type: 'organization', id }, before: settingsOf(organization), at: now() });
    await repository.delete(tx, id);
  });
}

/**
 * A page of the caller's organizations, each as it may see it (see asSeenBy), by the same rule
 * and the caller's standing in each. One whose ip_allowlist leaves out the caller's address
 * stays in the list, so hydra:totalItems holds, but shows only its id: the item itself would be
 * a 403, members' emails and settings included.
 */
async function asSeenInList(db: Database, caller: Actor, rows: OrganizationRow[], standings?: Map<string, StoredStanding>, members?: Map<string, Member[]>): Promise<Organization[]> {
  const restricted = new Set(rows.filter((row) => !allowsAddress(row.ip_allowlist, caller.address)).map((row) => row.id));
  const stored = standings ?? (await repository.standingsIn(db, caller.id, rows.map((r) => r.id)));
  const organizations = await withMembers(db, rows, (row) => {
    const standing = standingOf(caller, stored.get(row.id) ?? {});
    return !restricted.has(row.id) && standing !== undefined && seesMembers(standing);
  }, members);
  return organizations.map((organization) => (restricted.has(organization.id) ? { ...organization, ip_restricted: true } : organization));
}

/**
 * The caller's organizations whose names it may not read from here (their ip_allowlist leaves
 * out its address): a name filter must not match them, or it would spell their names out.
 * Only filtered or name-sorted lists ask, and they read the partner's organizations anyway.
 */
async function namesHiddenFrom(db: Database, caller: Actor): Promise<string[]> {
  const restricted = await repository.allowlistsForPartner(db, caller.id);
  return restricted.filter((row) => !allowsAddress(row.ip_allowlist, caller.address)).map((row) => row.id);
}

/**
 * In the default order, by cursor or page number in constant time (keyset.ts); filtered or
 * sorted otherwise, by page number with OFFSET and a count, which slows on deep pages.
 */
export async function listOrganizations(db: Database, caller: Actor, query: OrganizationQuery, page: PageWindow & { offset: number }): Promise<{ items: Organization[]; total: number; edges?: PageEdges }> {
  if (!query.nameContains && query.order.length === 0) {
    const { items, total, standings, edges, embeddedMembers: members } = await repository.keysetForPartner(db, caller.id, page, EMBEDDED_MEMBERS_CAP);
    return { items: await asSeenInList(db, caller, items, standings, members), total, edges };
  }
  const readsNames = query.nameContains !== undefined || query.order.some(([key]) => key === 'name');
  const filtered = { ...query, hiddenNames: readsNames ? await namesHiddenFrom(db, caller) : [] };
  const [rows, total] = await Promise.all([repository.pageForPartner(db, caller.id, filtered, page.limit, page.offset), repository.countForPartner(db, caller.id, filtered)]);
  return { items: await asSeenInList(db, caller, rows), total };
}
