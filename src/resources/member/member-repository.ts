import type { Sql, Statement } from '../../persistence/database.js';
import { keysetPage, type Cursor, type PageEdges, type PageWindow } from '../../persistence/keyset.js';
import { entityColumns } from '../../persistence/entity-columns.js';
import { partnerTally } from '../partner/partner-tally.js';
import { iso } from '../../persistence/values.js';
import type { Role } from './member.description.js';
import { membershipEntity, type MembershipRow } from './membership.entity.js';

/** A membership with the partner's email and name, as members are shown. */
export interface Member {
  id: string;
  organization_id: string;
  partner_id: string;
  email: string;
  name: string;
  role: Role;
  joined_at: string;
}

const columns = entityColumns(membershipEntity);

export const MEMBER_COLUMNS = 'm.id, m.organization_id, m.partner_id, p.email, p.name, m.role, m.joined_at';
export const MEMBER_FROM = 'FROM membership m JOIN partner p ON p.id = m.partner_id';
export const SELECT_MEMBERS = `SELECT ${MEMBER_COLUMNS} ${MEMBER_FROM}`;

export function toMember(raw: Record<string, unknown>): Member {
  return { ...(raw as unknown as Member), joined_at: iso(raw.joined_at) };
}

function roleFilter(role: Role | undefined): [string, string[]] {
  return role ? [' AND m.role = ?', [role]] : ['', []];
}

export const memberRepository = {
  /** Inserts the membership and keeps the organization's member_count and the partner's tally in step, in the caller's transaction. */
  async insert(sql: Sql, row: MembershipRow): Promise<void> {
    for (const statement of memberRepository.insertStatements(row)) await sql.run(statement.sql, statement.params);
  },

  /** `counted`: the organization's row already counts this member (written with it, in the same batch). */
  insertStatements(row: MembershipRow, { counted = false } = {}): Statement[] {
    return [
      columns.insert(row),
      ...(counted ? [] : [{ sql: 'UPDATE organization SET member_count = member_count + 1 WHERE id = ?', params: [row.organization_id] }]),
      partnerTally.change(row.partner_id, { organizations: 1 }),
    ];
  },

  async delete(sql: Sql, member: Pick<Member, 'id' | 'organization_id' | 'partner_id'>): Promise<void> {
    await sql.run('DELETE FROM membership WHERE id = ?', [member.id]);
    await sql.run('UPDATE organization SET member_count = member_count - 1 WHERE id = ?', [member.organization_id]);
    await partnerTally.apply(sql, partnerTally.change(member.partner_id, { organizations: -1 }));
  },

  async updateRole(sql: Sql, id: string, role: Role): Promise<void> {
    await sql.run('UPDATE membership SET role = ? WHERE id = ?', [role, id]);
  },

  async find(sql: Sql, organizationId: string, id: string): Promise<Member | undefined> {
    const raw = await sql.get<Record<string, unknown>>(`${SELECT_MEMBERS} WHERE m.organization_id = ? AND m.id = ?`, [organizationId, id]);
    return raw && toMember(raw);
  },

  async findByPartner(sql: Sql, organizationId: string, partnerId: string): Promise<Member | undefined> {
    const raw = await sql.get<Record<string, unknown>>(`${SELECT_MEMBERS} WHERE m.organization_id = ? AND m.partner_id = ?`, [organizationId, partnerId]);
    return raw && toMember(raw);
  },

  async isMemberByEmailKey(sql: Sql, organizationId: string, emailKey: string): Promise<boolean> {
    const row = await sql.get('SELECT 1 AS found FROM membership m JOIN partner p ON p.id = m.partner_id WHERE m.organization_id = ? AND p.email_key = ?', [organizationId, emailKey]);
    return row !== undefined;
  },

  async countOwners(sql: Sql, organizationId: string): Promise<number> {
    const row = await sql.get<{ n: number | string }>("SELECT COUNT(*) AS n FROM membership WHERE organization_id = ? AND role = 'owner'", [organizationId]);
    return Number(row?.n ?? 0);
  },

  async count(sql: Sql, organizationId: string, role?: Role): Promise<number> {
    const [filter, params] = roleFilter(role);
    const row = await sql.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM membership m WHERE m.organization_id = ?${filter}`, [organizationId, ...params]);
    return Number(row?.n ?? 0);
  },

  /** The organization's members in the order they joined, a page by cursor or number; `total` is its member_count. */
  async keysetPage(sql: Sql, organizationId: string, window: PageWindow, total: number): Promise<{ items: Member[]; edges: PageEdges }> {
    const query = { select: `SELECT ${MEMBER_COLUMNS}`, from: `${MEMBER_FROM} WHERE m.organization_id = ?`, params: [organizationId], key: 'm.joined_at', id: 'm.id' };
    const page = await keysetPage<Record<string, unknown>>(sql, query, window, total);
    const cursor = (raw: Record<string, unknown> | undefined): Cursor | undefined => raw && [iso(raw.joined_at), String(raw.id)];
    return { items: page.rows.map(toMember), edges: { first: cursor(page.rows[0]), last: cursor(page.rows.at(-1)), hasNext: page.hasNext, hasPrevious: page.hasPrevious } };
  },

  /** A page of the organization's members in the order they joined. */
  async page(sql: Sql, organizationId: string, role: Role | undefined, limit: number, offset: number): Promise<Member[]> {
    const [filter, params] = roleFilter(role);
    const rows = await sql.all<Record<string, unknown>>(`${SELECT_MEMBERS} WHERE m.organization_id = ?${filter} ORDER BY m.joined_at, m.id LIMIT ? OFFSET ?`, [organizationId, ...params, limit, offset]);
    return rows.map(toMember);
  },
};
