import type { Sql } from '../../persistence/database.js';
import { keysetPage, type Cursor, type PageEdges, type PageWindow } from '../../persistence/keyset.js';
import { entityColumns } from '../../persistence/entity-columns.js';
import { iso, json } from '../../persistence/values.js';
import type { Partner } from '../partner/partner-repository.js';
import { partnerTally } from '../partner/partner-tally.js';
import { parseScopes, type Scope } from '../partner/scopes.js';
import { integrationEntity, type IntegrationRow } from './integration.entity.js';

/** An installation with the installed partner and its installer, as integrations are shown. */
export interface Integration extends Omit<IntegrationRow, 'scopes'> {
  scopes: Scope[];
  partner: Partner;
  creator: Partner | null;
  /** Its organization's, where the installed partner lists its installations (/api/me/installations). */
  organization_ip_allowlist?: string[];
}

const columns = entityColumns(integrationEntity);
const COLUMNS = `${columns.list('i')}, p.email AS p_email, p.name AS p_name, c.email AS c_email, c.name AS c_name`;
const FROM = 'FROM integration i JOIN partner p ON p.id = i.partner_id LEFT JOIN partner c ON c.id = i.created_by';
const SELECT = `SELECT ${COLUMNS} ${FROM}`;

function toIntegration(raw: Record<string, unknown>): Integration {
  return {
    ...columns.read(raw),
    scopes: parseScopes(String(raw.scopes)),
    partner: { id: String(raw.partner_id), email: String(raw.p_email), name: String(raw.p_name) },
    creator: raw.c_email == null ? null : { id: String(raw.created_by), email: String(raw.c_email), name: String(raw.c_name) },
    ...(raw.o_ip_allowlist === undefined ? {} : { organization_ip_allowlist: json<string[]>(raw.o_ip_allowlist) }),
  };
}

/** Only an installation granted organization:read puts the organization in the partner's list. */
const listedBy = (scopes: readonly Scope[]) => scopes.includes('organization:read');

/** The installed partner's counts, in the transaction that changes its installations. */
async function count(sql: Sql, partnerId: string, installations: number, listed: number): Promise<void> {
  await partnerTally.apply(sql, partnerTally.change(partnerId, { organizations: listed, installations }));
}

export const integrationRepository = {
  async insert(sql: Sql, row: Omit<IntegrationRow, 'scopes' | 'listed'> & { scopes: Scope[] }): Promise<void> {
    const listed = listedBy(row.scopes);
    const { sql: text, params } = columns.insert({ ...row, scopes: row.scopes.join(' '), listed });
    await sql.run(text, params);
    await count(sql, row.partner_id, 1, listed ? 1 : 0);
  },

  async update(sql: Sql, current: Pick<Integration, 'id' | 'partner_id' | 'listed'>, changes: { scopes: Scope[]; config: Record<string, string>; updated_at: string }): Promise<void> {
    const listed = listedBy(changes.scopes);
    await sql.run('UPDATE integration SET scopes = ?, listed = ?, config = ?, updated_at = ? WHERE id = ?', [changes.scopes.join(' '), listed, JSON.stringify(changes.config), changes.updated_at, current.id]);
    if (listed !== current.listed) await count(sql, current.partner_id, 0, listed ? 1 : -1);
  },

  async delete(sql: Sql, integration: Pick<Integration, 'id' | 'partner_id' | 'listed'>): Promise<void> {
    await sql.run('DELETE FROM integration WHERE id = ?', [integration.id]);
    await count(sql, integration.partner_id, -1, integration.listed ? -1 : 0);
  },

  /** Before an organization goes (its installations go with it, ON DELETE CASCADE): the installed partners' counts. */
  async forgetOrganization(sql: Sql, organizationId: string): Promise<void> {
    // One installation per partner and organization (uq_integration_organization_partner), so one row per partner.
    await partnerTally.apply(sql, partnerTally.changeEach('SELECT partner_id, CASE WHEN listed THEN -1 ELSE 0 END AS organizations, -1 AS installations FROM integration WHERE organization_id = ?', [organizationId]));
  },

  async isInstalledByEmailKey(sql: Sql, organizationId: string, emailKey: string): Promise<boolean> {
    const row = await sql.get('SELECT 1 AS found FROM integration n JOIN partner p ON p.id = n.partner_id WHERE n.organization_id = ? AND p.email_key = ?', [organizationId, emailKey]);
    return row !== undefined;
  },

  async find(sql: Sql, organizationId: string, id: string): Promise<Integration | undefined> {
    const raw = await sql.get<Record<string, unknown>>(`${SELECT} WHERE i.organization_id = ? AND i.id = ?`, [organizationId, id]);
    return raw && toIntegration(raw);
  },

  async isInstalled(sql: Sql, organizationId: string, partnerId: string): Promise<boolean> {
    return (await sql.get('SELECT 1 AS found FROM integration WHERE organization_id = ? AND partner_id = ?', [organizationId, partnerId])) !== undefined;
  },

  async count(sql: Sql, organizationId: string): Promise<number> {
    const row = await sql.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM integration WHERE organization_id = ?', [organizationId]);
    return Number(row?.n ?? 0);
  },

  /** A page of the organization's integrations, oldest first. */
  async page(sql: Sql, organizationId: string, limit: number, offset: number): Promise<Integration[]> {
    const rows = await sql.all<Record<string, unknown>>(`${SELECT} WHERE i.organization_id = ? ORDER BY i.created_at, i.id LIMIT ? OFFSET ?`, [organizationId, limit, offset]);
    return rows.map(toIntegration);
  },

  /** Where the partner is installed, oldest first, by cursor or page number; `total` is its tally of installations. */
  async keysetForPartner(sql: Sql, partnerId: string, window: PageWindow): Promise<{ items: Integration[]; total: number; edges: PageEdges }> {
    const total = await partnerTally.installations(sql, partnerId);
    const query = {
      select: `SELECT ${COLUMNS}, o.ip_allowlist AS o_ip_allowlist`,
      from: `${FROM} JOIN organization o ON o.id = i.organization_id WHERE i.partner_id = ?`,
      params: [partnerId],
      key: 'i.created_at',
      id: 'i.organization_id',
    };
    const page = await keysetPage<Record<string, unknown>>(sql, query, window, total);
    const cursor = (raw: Record<string, unknown> | undefined): Cursor | undefined => raw && [iso(raw.created_at), String(raw.organization_id)];
    return { items: page.rows.map(toIntegration), total, edges: { first: cursor(page.rows[0]), last: cursor(page.rows.at(-1)), hasNext: page.hasNext, hasPrevious: page.hasPrevious } };
  },
};
