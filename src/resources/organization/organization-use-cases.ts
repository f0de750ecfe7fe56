import { randomUUID } from 'node:crypto';
import { AppError, notFound } from '../../problems/app-error.js';
import { isUniqueViolation, type Database, type Sql } from '../../persistence/database.js';
import { isUuid, now } from '../../persistence/values.js';
import { may, type Action } from '../member/permissions.js';
import type { Partner } from '../partner/partner-repository.js';
import { organizationRepository as repository, type Member } from './organization-repository.js';
import type { OrganizationRow } from './organization.entity.js';
import { firstFreeSlug, slugify } from './slug.js';
import { defaultValues } from '../description.js';
import { organizationDescription } from './organization.description.js';

/** Embedded members are capped; the full list is the members collection. */
export const EMBEDDED_MEMBERS_CAP = 100;

export interface Organization extends OrganizationRow {
  members: Member[];
}

export type OrganizationInput = Partial<Omit<OrganizationRow, 'id' | 'created_at' | 'updated_at'>>;


async function withMembers(sql: Sql, rows: OrganizationRow[]): Promise<Organization[]> {
  const members = await repository.membersOf(sql, rows.map((r) => r.id), EMBEDDED_MEMBERS_CAP);
  return rows.map((row) => ({ ...row, members: members.filter((m) => m.organization_id === row.id) }));
}

/** The organization as the caller may see it: 404 when it does not exist or the caller is not a member, 403 without the right. */
async function authorize(sql: Sql, caller: Partner, id: string, action: Action): Promise<OrganizationRow> {
  const found = isUuid(id) ? await repository.findForMember(sql, id, caller.id) : undefined;
  if (!found) throw notFound('organization');
  if (!may(found.role, action)) throw new AppError('forbidden', `A member with the ${found.role} role may not do this (${action}).`);
  return found.row;
}

async function chooseSlug(tx: Sql, requested: string | undefined, name: string): Promise<string> {
  if (requested) return requested;
  const base = slugify(name);
  return firstFreeSlug(base, await repository.slugsLike(tx, base));
}

function slugTaken(slug: string): AppError {
  return new AppError('slug-taken', `The slug "${slug}" is already used by another organization.`);
}

export async function createOrganization(db: Database, caller: Partner, input: OrganizationInput & { name: string }): Promise<Organization> {
  const at = now();
  const attempt = () =>
    db.transaction(async (tx) => {
      const row = { ...(defaultValues(organizationDescription) as OrganizationInput), ...input, id: randomUUID(), slug: await chooseSlug(tx, input.slug, input.name), created_at: at, updated_at: at } as OrganizationRow;
      const owner: Member = { id: randomUUID(), organization_id: row.id, email: caller.email, name: caller.name, role: 'owner', joined_at: at };
      await repository.insert(tx, row);
      await repository.insertMembership(tx, { id: owner.id, organization_id: row.id, partner_id: caller.id, role: 'owner', joined_at: at });
      // The caller is the only member: no need to read the members back.
      return { ...row, members: [owner] };
    });
  try {
    return await attempt();
  } catch (error) {
    if (!isUniqueViolation(error, 'slug')) throw error;
    if (input.slug) throw slugTaken(input.slug);
    return attempt(); // another instance generated the same slug at once
  }
}

export async function getOrganization(db: Database, caller: Partner, id: string): Promise<Organization> {
  return (await withMembers(db, [await authorize(db, caller, id, 'organization:read')]))[0];
}

/** `change` gets the stored organization and returns only what differs from it; nothing else is written. */
export async function updateOrganization(
  db: Database,
  caller: Partner,
  id: string,
  change: (current: OrganizationRow) => OrganizationInput,
): Promise<Organization> {
  try {
    const row = await db.transaction(async (tx) => {
      const current = await authorize(tx, caller, id, 'organization:update');
      const changes = change(current);
      if (Object.keys(changes).length === 0) return current;
      const updated = { ...current, ...changes, updated_at: now() };
      await repository.update(tx, id, { ...changes, updated_at: updated.updated_at });
      return updated;
    });
    return (await withMembers(db, [row]))[0];
  } catch (error) {
    if (isUniqueViolation(error, 'slug')) throw new AppError('slug-taken', 'That slug is already used by another organization.');
    throw error;
  }
}

export async function deleteOrganization(db: Database, caller: Partner, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    await authorize(tx, caller, id, 'organization:delete');
    await repository.delete(tx, id);
  });
}

export async function listOrganizations(db: Database, caller: Partner, page: { limit: number; offset: number }): Promise<{ items: Organization[]; total: number }> {
  const [rows, total] = await Promise.all([repository.pageForPartner(db, caller.id, page.limit, page.offset), repository.countForPartner(db, caller.id)]);
  return { items: await withMembers(db, rows), total };
}
