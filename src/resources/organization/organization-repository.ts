import type { Sql } from '../../persistence/database.js';
import { bool, iso, json } from '../../persistence/values.js';
import type { Role } from '../member/member.description.js';
import type { MembershipRow } from '../member/membership.entity.js';
import type { OrganizationRow } from './organization.entity.js';

export interface Member {
  id: string;
  organization_id: string;
  email: string;
  name: string;
  role: Role;
  joined_at: string;
}

const COLUMNS = 'id, name, slug, metadata, billing_email, security_contact, language, invites_enabled, members_can_invite, ip_allowlist, auto_join_domains, created_at, updated_at';
const UPDATABLE = ['name', 'slug', 'metadata', 'billing_email', 'security_contact', 'language', 'invites_enabled', 'members_can_invite', 'ip_allowlist', 'auto_join_domains'] as const;
const JSON_COLUMNS = new Set(['metadata', 'ip_allowlist', 'auto_join_domains']);

function toRow(raw: Record<string, unknown>): OrganizationRow {
  return {
    ...(raw as unknown as OrganizationRow),
    metadata: json(raw.metadata),
    ip_allowlist: json(raw.ip_allowlist),
    auto_join_domains: json(raw.auto_join_domains),
    invites_enabled: bool(raw.invites_enabled),
    members_can_invite: bool(raw.members_can_invite),
    created_at: iso(raw.created_at),
    updated_at: iso(raw.updated_at),
  };
}

function toColumn(key: string, value: unknown): string | number | boolean | null {
  if (JSON_COLUMNS.has(key)) return JSON.stringify(value);
  return value as string | boolean | null;
}

export const organizationRepository = {
  async insert(sql: Sql, row: OrganizationRow): Promise<void> {
    const keys = COLUMNS.split(', ') as (keyof OrganizationRow)[];
    await sql.run(`INSERT INTO organization (${COLUMNS}) VALUES (${keys.map(() => '?').join(', ')})`, keys.map((k) => toColumn(k, row[k])));
  },

  async insertMembership(sql: Sql, row: MembershipRow): Promise<void> {
    await sql.run('INSERT INTO membership (id, organization_id, partner_id, role, joined_at) VALUES (?, ?, ?, ?, ?)', [row.id, row.organization_id, row.partner_id, row.role, row.joined_at]);
  },

  /** The organization with the caller's role in it, or undefined when the caller is not a member. */
  async findForMember(sql: Sql, id: string, partnerId: string): Promise<{ row: OrganizationRow; role: Role } | undefined> {
    const raw = await sql.get<Record<string, unknown>>(
      `SELECT ${COLUMNS.replace(/(\w+)/g, 'o.$1')}, m.role AS caller_role
         FROM organization o JOIN membership m ON m.organization_id = o.id AND m.partner_id = ?
        WHERE o.id = ?`,
      [partnerId, id],
    );
    return raw && { row: toRow(raw), role: raw.caller_role as Role };
  },

  async slugsLike(sql: Sql, base: string): Promise<string[]> {
    const rows = await sql.all<{ slug: string }>("SELECT slug FROM organization WHERE slug = ? OR slug LIKE ?", [base, `${base}-%`]);
    return rows.map((r) => r.slug);
  },

  async update(sql: Sql, id: string, changes: Partial<OrganizationRow>): Promise<void> {
    const keys = UPDATABLE.filter((k) => k in changes);
    const assignments = [...keys.map((k) => `${k} = ?`), 'updated_at = ?'].join(', ');
    await sql.run(`UPDATE organization SET ${assignments} WHERE id = ?`, [...keys.map((k) => toColumn(k, changes[k])), changes.updated_at ?? null, id]);
  },

  async delete(sql: Sql, id: string): Promise<void> {
    await sql.run('DELETE FROM organization WHERE id = ?', [id]);
  },

  async countForPartner(sql: Sql, partnerId: string): Promise<number> {
    const row = await sql.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM membership WHERE partner_id = ?', [partnerId]);
    return Number(row?.n ?? 0);
  },

  /** A page of the partner's organizations, oldest first. */
  async pageForPartner(sql: Sql, partnerId: string, limit: number, offset: number): Promise<OrganizationRow[]> {
    const rows = await sql.all<Record<string, unknown>>(
      `SELECT ${COLUMNS.replace(/(\w+)/g, 'o.$1')}
         FROM membership m JOIN organization o ON o.id = m.organization_id
        WHERE m.partner_id = ?
        ORDER BY o.created_at, o.id
        LIMIT ? OFFSET ?`,
      [partnerId, limit, offset],
    );
    return rows.map(toRow);
  },

  /** Members of these organizations, owners first then by arrival, at most `cap` per organization. */
  async membersOf(sql: Sql, organizationIds: string[], cap: number): Promise<Member[]> {
    if (organizationIds.length === 0) return [];
    const rows = await sql.all<Record<string, unknown>>(
      `SELECT id, organization_id, email, name, role, joined_at FROM (
         SELECT m.id, m.organization_id, p.email, p.name, m.role, m.joined_at,
                ROW_NUMBER() OVER (PARTITION BY m.organization_id ORDER BY CASE WHEN m.role = 'owner' THEN 0 ELSE 1 END, m.joined_at, m.id) AS position
           FROM membership m JOIN partner p ON p.id = m.partner_id
          WHERE m.organization_id IN (${organizationIds.map(() => '?').join(', ')})
       ) ranked WHERE position <= ? ORDER BY organization_id, position`,
      [...organizationIds, cap],
    );
    return rows.map((r) => ({ ...(r as unknown as Member), joined_at: iso(r.joined_at) }));
  },
};
