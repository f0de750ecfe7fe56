import type { KeptValues, Sql, Statement } from '../../persistence/database.js';
import { keysetPage, type Cursor, type Order, type PageEdges, type PageWindow } from '../../persistence/keyset.js';
import { entityColumns } from '../../persistence/entity-columns.js';
import { iso, json } from '../../persistence/values.js';
import type { Role } from '../member/member.description.js';
import { embeddedMembersColumn, membersOfColumn } from '../member/embedded-members.js';
import type { Member } from '../member/member-repository.js';
import { integrationRepository } from '../integration/integration-repository.js';
import { partnerTally } from '../partner/partner-tally.js';
import { nameKey } from './name-key.js';
import { organizationDescription } from './organization.description.js';
import { organizationEntity, type OrganizationRow } from './organization.entity.js';

const columns = entityColumns(organizationEntity);
const COLUMNS = columns.list();
const PREFIXED_COLUMNS = columns.list('o');

/** Columns written from another: name_key follows name (see update). */
const DERIVED: Partial<Record<keyof OrganizationRow, keyof OrganizationRow>> = { name_key: 'name' };

/**
 * What a change may set: the columns of properties the description lets clients change after
 * creation, and the columns derived from them. updated_at is set by every update on its own.
 */
const UPDATABLE = columns.names.filter((name) => {
  const property = organizationDescription.properties[DERIVED[name] ?? name];
  return property?.writable === true && !property.createOnly;
});

function toRow(raw: Record<string, unknown>): OrganizationRow {
  return { ...(raw as unknown as OrganizationRow), ...columns.read(raw) };
}

/** The organizations collection's filters: a name fragment, and sort keys in order of precedence. */
export interface OrganizationQuery {
  nameContains?: string;
  order: ['name' | 'created_at', 'asc' | 'desc'][];
  /** Organizations whose names the caller may not read (see namesHiddenFrom): never matched by name, sorted after the others. */
  hiddenNames?: string[];
}

const ORDERABLE = { name: 'o.name_key', created_at: 'o.created_at' } as const;

const placeholders = (values: readonly unknown[]) => values.map(() => '?').join(', ');

/** Case-insensitive "contains", with LIKE's own wildcards in the fragment taken literally. */
function nameFilter(query: OrganizationQuery): [string, string[]] {
  if (!query.nameContains) return ['', []];
  const escaped = nameKey(query.nameContains).replace(/[\\%_]/g, (c) => `\\${c}`);
  const hidden = query.hiddenNames ?? [];
  return [` WHERE o.name_key LIKE ? ESCAPE '\\'${hidden.length ? ` AND o.id NOT IN (${placeholders(hidden)})` : ''}`, [`%${escaped}%`, ...hidden]];
}

/** The ORDER BY of a filtered or sorted page: by name, organizations with hidden names come last (in their creation order). */
function sortOrder(query: OrganizationQuery): [string, string[]] {
  const keys = query.order.map(([key, direction]) => `${ORDERABLE[key]} ${direction === 'desc' ? 'DESC' : 'ASC'}`);
  const hidden = query.order.some(([key]) => key === 'name') ? (query.hiddenNames ?? []) : [];
  const first = hidden.length ? [`CASE WHEN o.id IN (${placeholders(hidden)}) THEN 1 ELSE 0 END`] : [];
  return [[...first, ...keys, 'o.created_at', 'o.id'].join(', '), hidden];
}

/** A partner's membership or installation in one organization, as stored (a partner is never both). */
export interface StoredStanding {
  membership?: { id: string; role: Role };
  integration?: { id: string; scopes: string };
}

/** The organization with the caller's standing in it: a membership, an installation, or neither. */
export interface CallerStanding extends StoredStanding {
  organization: OrganizationRow;
  /** When asked for and read in the same statement (PostgreSQL): the members to embed, as embeddedMembers gives them. */
  embeddedMembers?: Member[];
}

/**
 * A partner's organizations: those it is a member of, in the order it joined them, and those
 * it is installed in with organization:read, in the order it was installed (keyset.ts reads
 * both as one; the partner's tally counts both).
 */
const PARTNER_ORGANIZATIONS = [
  { from: 'FROM membership m WHERE m.partner_id = ?', key: 'm.joined_at', id: 'm.organization_id' },
  { from: 'FROM integration n WHERE n.partner_id = ? AND n.listed = TRUE', key: 'n.created_at', id: 'n.organization_id' },
];
const PARTNER_ORGANIZATION_IDS = 'SELECT organization_id FROM membership WHERE partner_id = ? UNION ALL SELECT organization_id FROM integration WHERE partner_id = ? AND listed = TRUE';

/**
 * The caller's standing in each organization of a page, read in the page's own statement once it
 * is cut (on PostgreSQL a round trip less than standingsIn): a partner is a member or installed,
 * never both, so one of the two joins matches.
 */
function withStandings(inner: string, order: Order, embedCap?: number): string {
  // The cap is our constant, written into the text: a placeholder here would come before the inner statement's.
  const members = embedCap === undefined ? '' : `, ${embeddedMembersColumn('page.id', String(Math.trunc(embedCap)))} AS embedded_members`;
  return `SELECT page.*, sm.id AS standing_membership_id, sm.role AS standing_role, sn.id AS standing_integration_id, sn.scopes AS standing_scopes${members}
     FROM (${inner}) page
     LEFT JOIN membership sm ON sm.organization_id = page.id AND sm.partner_id = ?
     LEFT JOIN integration sn ON sn.organization_id = page.id AND sn.partner_id = ?
    ORDER BY page.cursor_key ${order}, page.id ${order}`;
}

function standingOf(raw: Record<string, unknown>): StoredStanding {
  if (raw.standing_membership_id != null) return { membership: { id: String(raw.standing_membership_id), role: raw.standing_role as Role } };
  return raw.standing_integration_id != null ? { integration: { id: String(raw.standing_integration_id), scopes: String(raw.standing_scopes) } } : {};
}

/** findWithStanding's statement. */
async function readWithStanding(sql: Sql, id: string, partnerId: string, embedCap?: number): Promise<CallerStanding | undefined> {
  const embed = embedCap !== undefined && sql.engine === 'postgres';
  const raw = await sql.get<Record<string, unknown>>(
    `SELECT ${PREFIXED_COLUMNS}, m.id AS membership_id, m.role AS membership_role, n.id AS integration_id, n.scopes AS integration_scopes${embed ? `, ${embeddedMembersColumn('o.id', '?')} AS embedded_members` : ''}
       FROM organization o
       LEFT JOIN membership m ON m.organization_id = o.id AND m.partner_id = ?
       LEFT JOIN integration n ON n.organization_id = o.id AND n.partner_id = ?
      WHERE o.id = ?`,
    embed ? [embedCap, embedCap, partnerId, partnerId, id] : [partnerId, partnerId, id],
  );
  if (!raw) return undefined;
  const { embedded_members: members, ...columns } = raw;
  return {
    organization: toRow(columns),
    membership: raw.membership_id == null ? undefined : { id: String(raw.membership_id), role: raw.membership_role as Role },
    integration: raw.integration_id == null ? undefined : { id: String(raw.integration_id), scopes: String(raw.integration_scopes) },
    ...(embed && { embeddedMembers: membersOfColumn(members, embedCap) }),
  };
}

/** Frozen all the way down: a value every request shares, which none may change. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

export const organizationRepository = {
  insertStatement(row: Omit<OrganizationRow, 'name_key'>): Statement {
    return columns.insert({ ...row, name_key: nameKey(row.name) });
  },

  async insert(sql: Sql, row: Omit<OrganizationRow, 'name_key'>): Promise<void> {
    const { sql: text, params } = organizationRepository.insertStatement(row);
    await sql.run(text, params);
  },

  /**
   * The organization and the caller's standing there in one read; undefined when there is no
   * such organization. With `embedCap` on PostgreSQL, the members to embed come in the same
   * statement (one round trip instead of two, whether or not the caller may see them); SQLite,
   * where a statement is a function call, reads them apart.
   */
  async findWithStanding(sql: Sql, id: string, partnerId: string, embedCap?: number, kept?: KeptValues): Promise<CallerStanding | undefined> {
    // With the request's kept values, the converted answer is kept there, frozen because every
    // request shares it: on SQLite its conversion (JSON columns, timestamps) was 4 % of a GET of
    // one organization answered from kept reads; on PostgreSQL it saves the round trip.
    const key = `standing\u0000${id}\u0000${partnerId}\u0000${embedCap}`;
    const known = kept?.get(key) as CallerStanding | null | undefined;
    if (known !== undefined) return known ?? undefined;
    const found = await readWithStanding(sql, id, partnerId, embedCap);
    kept?.set(key, found ? deepFreeze(found) : null, 4096);
    return found;
  },

  /** The partner's standing in each of these organizations it belongs to, in one read (a page of its list). */
  async standingsIn(sql: Sql, partnerId: string, organizationIds: string[]): Promise<Map<string, StoredStanding>> {
    if (organizationIds.length === 0) return new Map();
    const ids = organizationIds.map(() => '?').join(', ');
    const rows = await sql.all<{ organization_id: string; kind: string; id: string; detail: string }>(
      `SELECT organization_id, 'member' AS kind, id, role AS detail FROM membership WHERE partner_id = ? AND organization_id IN (${ids})
       UNION ALL
       SELECT organization_id, 'integration' AS kind, id, scopes AS detail FROM integration WHERE partner_id = ? AND organization_id IN (${ids})`,
      [partnerId, ...organizationIds, partnerId, ...organizationIds],
    );
    const standing = (r: (typeof rows)[number]): StoredStanding =>
      r.kind === 'member' ? { membership: { id: String(r.id), role: r.detail as Role } } : { integration: { id: String(r.id), scopes: String(r.detail) } };
    return new Map(rows.map((r) => [String(r.organization_id), standing(r)]));
  },

  async find(sql: Sql, id: string): Promise<OrganizationRow | undefined> {
    const raw = await sql.get<Record<string, unknown>>(`SELECT ${COLUMNS} FROM organization WHERE id = ?`, [id]);
    return raw && toRow(raw);
  },

  /** Which of these slugs are taken: index lookups only (LIKE 'x-%' scanned the whole table). */
  async takenSlugs(sql: Sql, slugs: string[]): Promise<string[]> {
    const rows = await sql.all<{ slug: string }>(`SELECT slug FROM organization WHERE slug IN (${slugs.map(() => '?').join(', ')})`, slugs);
    return rows.map((r) => r.slug);
  },

  async update(sql: Sql, id: string, changes: Partial<OrganizationRow>): Promise<void> {
    if (changes.name !== undefined) changes = { ...changes, name_key: nameKey(changes.name) };
    const keys = UPDATABLE.filter((k) => k in changes);
    const assignments = [...keys.map((k) => `${k} = ?`), 'updated_at = ?'].join(', ');
    await sql.run(`UPDATE organization SET ${assignments} WHERE id = ?`, [...keys.map((k) => columns.toColumn(k, changes[k])), changes.updated_at ?? null, id]);
  },

  /** The memberships go with it (ON DELETE CASCADE): each member's organization count first. */
  async delete(sql: Sql, id: string): Promise<void> {
    await partnerTally.apply(sql, partnerTally.changeEach('SELECT partner_id, -1 AS organizations, 0 AS installations FROM membership WHERE organization_id = ?', [id]));
    await integrationRepository.forgetOrganization(sql, id);
    await sql.run('DELETE FROM organization WHERE id = ?', [id]);
  },

  async countForPartner(sql: Sql, partnerId: string, query: OrganizationQuery): Promise<number> {
    const [filter, params] = nameFilter(query);
    const row = await sql.get<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM (${PARTNER_ORGANIZATION_IDS}) a${filter ? ` JOIN organization o ON o.id = a.organization_id${filter}` : ''}`,
      [partnerId, partnerId, ...params],
    );
    return Number(row?.n ?? 0);
  },

  /** The partner's organizations in the order it joined them or was installed there, a page by cursor or number. */
  /**
   * A page of the partner's organizations with its standing in each. With `embedCap` on
   * PostgreSQL, each organization's members to embed come in the page's own statement, as in
   * findWithStanding (one round trip less; those the caller may not see are read and dropped).
   */
  async keysetForPartner(sql: Sql, partnerId: string, window: PageWindow, embedCap?: number): Promise<{ items: OrganizationRow[]; total: number; standings: Map<string, StoredStanding>; edges: PageEdges; embeddedMembers?: Map<string, Member[]> }> {
    const total = await partnerTally.organizations(sql, partnerId);
    const embed = embedCap !== undefined && sql.engine === 'postgres';
    const query = {
      select: `SELECT ${PREFIXED_COLUMNS}, a.k AS cursor_key`,
      join: 'JOIN organization o ON o.id = a.i',
      arms: PARTNER_ORGANIZATIONS.map((arm) => ({ ...arm, params: [partnerId] })),
      around: { sql: (inner: string, order: Order) => withStandings(inner, order, embed ? embedCap : undefined), params: [partnerId, partnerId] },
    };
    const page = await keysetPage<Record<string, unknown>>(sql, query, window, total);
    const cursor = (raw: Record<string, unknown> | undefined): Cursor | undefined => raw && [iso(raw.cursor_key), String(raw.id)];
    const standings = new Map(page.rows.map((raw) => [String(raw.id), standingOf(raw)]));
    const embeddedMembers = embed ? new Map(page.rows.map((raw) => [String(raw.id), membersOfColumn(raw.embedded_members, embedCap)])) : undefined;
    const items = page.rows.map(({ embedded_members: _members, ...raw }) => toRow(raw));
    return { items, total, standings, edges: { first: cursor(page.rows[0]), last: cursor(page.rows.at(-1)), hasNext: page.hasNext, hasPrevious: page.hasPrevious }, embeddedMembers };
  },

  /** A page of the partner's organizations, in the order asked for, then oldest first. */
  async pageForPartner(sql: Sql, partnerId: string, query: OrganizationQuery, limit: number, offset: number): Promise<OrganizationRow[]> {
    const [filter, params] = nameFilter(query);
    const [order, orderParams] = sortOrder(query);
    const rows = await sql.all<Record<string, unknown>>(
      `SELECT ${PREFIXED_COLUMNS}
         FROM (${PARTNER_ORGANIZATION_IDS}) a JOIN organization o ON o.id = a.organization_id
       ${filter}
        ORDER BY ${order}
        LIMIT ? OFFSET ?`,
      [partnerId, partnerId, ...params, ...orderParams, limit, offset],
    );
    return rows.map(toRow);
  },

  /** The partner's organizations that have an ip_allowlist, with it: a read of every one of its organizations. */
  async allowlistsForPartner(sql: Sql, partnerId: string): Promise<{ id: string; ip_allowlist: string[] }[]> {
    const rows = await sql.all<{ id: string; ip_allowlist: unknown }>(
      `SELECT o.id, o.ip_allowlist FROM (${PARTNER_ORGANIZATION_IDS}) a JOIN organization o ON o.id = a.organization_id WHERE o.ip_allowlist <> ?`,
      [partnerId, partnerId, '[]'],
    );
    return rows.map((row) => ({ id: String(row.id), ip_allowlist: json(row.ip_allowlist) }));
  },
};
