import type { Sql } from '../../persistence/database.js';
import { keysetPage, type Cursor, type PageEdges, type PageWindow } from '../../persistence/keyset.js';
import { iso, json } from '../../persistence/values.js';
import type { Partner } from '../partner/partner-repository.js';
import { parseScopes, type Scope } from '../partner/scopes.js';
import type { IntegrationRow } from './integration.entity.js';

/** An installation with the installed partner and its installer, as integrations are shown. */
export interface Integration extends Omit<IntegrationRow, 'scopes'> {
  scopes: Scope[];
  partner: Partner;
  creator: Partner | null;
}

const COLUMNS = `i.id, i.organization_id, i.partner_id, i.scopes, i.config, i.created_at, i.created_by, i.updated_at,
  p.email AS p_email, p.name AS p_name, c.email AS c_email, c.name AS c_name`;
const FROM = 'FROM integration i JOIN partner p ON p.id = i.partner_id LEFT JOIN partner c ON c.id = i.created_by';
const SELECT = `SELECT ${COLUMNS} ${FROM}`;

function toIntegration(raw: Record<string, unknown>): Integration {
  return {
    id: String(raw.id),
    organization_id: String(raw.organization_id),
    partner_id: String(raw.partner_id),
    scopes: parseScopes(String(raw.scopes)),
    config: json(raw.config),
    created_at: iso(raw.created_at),
    created_by: String(raw.created_by),
    updated_at: iso(raw.updated_at),
    partner: { id: String(raw.partner_id), email: String(raw.p_email), name: String(raw.p_name) },
    creator: raw.c_email == null ? null : { id: String(raw.created_by), email: String(raw.c_email), name: String(raw.c_name) },
  };
}

export const integrationRepository = {
  /** The partner's organizations list counts its installations: both counts move in the installing transaction. */
  async insert(sql: Sql, row: IntegrationRow): Promise<void> {
    await sql.run('INSERT INTO integration (id, organization_id, partner_id, scopes, config, created_at, created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      row.id,
      row.organization_id,
      row.partner_id,
      row.scopes,
      JSON.stringify(row.config),
      row.created_at,
      row.created_by,
      row.updated_at,
    ]);
    await sql.run('UPDATE partner SET organization_count = organization_count + 1, installation_count = installation_count + 1 WHERE id = ?', [row.partner_id]);
  },

  async update(sql: Sql, id: string, changes: { scopes: string; config: Record<string, string>; updated_at: string }): Promise<void> {
    await sql.run('UPDATE integration SET scopes = ?, config = ?, updated_at = ? WHERE id = ?', [changes.scopes, JSON.stringify(changes.config), changes.updated_at, id]);
  },

  async delete(sql: Sql, integration: Pick<Integration, 'id' | 'partner_id'>): Promise<void> {
    await sql.run('DELETE FROM integration WHERE id = ?', [integration.id]);
    await sql.run('UPDATE partner SET organization_count = organization_count - 1, installation_count = installation_count - 1 WHERE id = ?', [integration.partner_id]);
  },

  /** Before an organization goes (its installations go with it, ON DELETE CASCADE): the installed partners' counts. */
  async forgetOrganization(sql: Sql, organizationId: string): Promise<void> {
    await sql.run('UPDATE partner SET organization_count = organization_count - 1, installation_count = installation_count - 1 WHERE id IN (SELECT partner_id FROM integration WHERE organization_id = ?)', [organizationId]);
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

  /** Where the partner is installed, oldest first, by cursor or page number; `total` is its installation_count. */
  async keysetForPartner(sql: Sql, partnerId: string, window: PageWindow): Promise<{ items: Integration[]; total: number; edges: PageEdges }> {
    const counted = await sql.get<{ n: number | string }>('SELECT installation_count AS n FROM partner WHERE id = ?', [partnerId]);
    const total = Number(counted?.n ?? 0);
    const query = { select: `SELECT ${COLUMNS}`, from: `${FROM} WHERE i.partner_id = ?`, params: [partnerId], key: 'i.created_at', id: 'i.organization_id' };
    const page = await keysetPage<Record<string, unknown>>(sql, query, window, total);
    const cursor = (raw: Record<string, unknown> | undefined): Cursor | undefined => raw && [iso(raw.created_at), String(raw.organization_id)];
    return { items: page.rows.map(toIntegration), total, edges: { first: cursor(page.rows[0]), last: cursor(page.rows.at(-1)), hasNext: page.hasNext, hasPrevious: page.hasPrevious } };
  },
};
