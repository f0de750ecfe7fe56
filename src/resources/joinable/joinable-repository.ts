import { randomUUID } from 'node:crypto';
import type { Sql, Statement } from '../../persistence/database.js';
import { keysetPage, type Cursor, type PageEdges, type PageWindow } from '../../persistence/keyset.js';
import { iso, json } from '../../persistence/values.js';

/** An organization a partner may join by its email domain, with what a prospective member sees of it. */
export interface JoinableRow {
  organization_id: string;
  name: string;
  domain: string;
  organization_created_at: string;
  ip_allowlist: string[];
}

/** Distinct and lower-cased: `Acme.Example` and `acme.example` are one domain. */
export function domainKeys(domains: readonly string[]): string[] {
  return [...new Set(domains.map((domain) => domain.toLowerCase()))];
}

const SELECT = 'SELECT d.organization_id, d.domain, d.organization_created_at, o.name, o.ip_allowlist';
/**
 * The organizations listing the domain (params: domain, partner id twice) where the partner is
 * neither a member nor installed: one range of the domain index, then a unique-index lookup per row.
 */
export const JOINABLE = `FROM auto_join_domain d JOIN organization o ON o.id = d.organization_id
   WHERE d.domain = ?
     AND NOT EXISTS (SELECT 1 FROM membership m WHERE m.organization_id = d.organization_id AND m.partner_id = ?)
     AND NOT EXISTS (SELECT 1 FROM integration n WHERE n.organization_id = d.organization_id AND n.partner_id = ?)`;

function toJoinable(raw: Record<string, unknown>): JoinableRow {
  return {
    organization_id: String(raw.organization_id),
    name: String(raw.name),
    domain: String(raw.domain),
    organization_created_at: iso(raw.organization_created_at),
    ip_allowlist: json(raw.ip_allowlist),
  };
}

export const autoJoinRepository = {
  /** The rows of an organization's auto_join_domains, for the batch or transaction that sets them. */
  insertStatements(organizationId: string, domains: readonly string[], organizationCreatedAt: string): Statement[] {
    return domainKeys(domains).map((domain) => ({
      sql: 'INSERT INTO auto_join_domain (id, organization_id, domain, organization_created_at) VALUES (?, ?, ?, ?)',
      params: [randomUUID(), organizationId, domain, organizationCreatedAt],
    }));
  },

  /** Keeps the rows in step with a changed auto_join_domains, in the transaction of the change. */
  async replace(sql: Sql, organizationId: string, domains: readonly string[], organizationCreatedAt: string): Promise<void> {
    await sql.run('DELETE FROM auto_join_domain WHERE organization_id = ?', [organizationId]);
    for (const statement of autoJoinRepository.insertStatements(organizationId, domains, organizationCreatedAt)) await sql.run(statement.sql, statement.params);
  },

  /** An index range count: the organizations listing this one domain. */
  async count(sql: Sql, domain: string, partnerId: string): Promise<number> {
    const row = await sql.get<{ n: number | string }>(`SELECT COUNT(*) AS n ${JOINABLE}`, [domain, partnerId, partnerId]);
    return Number(row?.n ?? 0);
  },

  /** Oldest organization first, by cursor or page number. */
  async keysetPage(sql: Sql, domain: string, partnerId: string, window: PageWindow, total: number): Promise<{ items: JoinableRow[]; edges: PageEdges }> {
    const query = { select: SELECT, from: JOINABLE, params: [domain, partnerId, partnerId], key: 'd.organization_created_at', id: 'd.organization_id' };
    const page = await keysetPage<Record<string, unknown>>(sql, query, window, total);
    const cursor = (raw: Record<string, unknown> | undefined): Cursor | undefined => raw && [iso(raw.organization_created_at), String(raw.organization_id)];
    return { items: page.rows.map(toJoinable), edges: { first: cursor(page.rows[0]), last: cursor(page.rows.at(-1)), hasNext: page.hasNext, hasPrevious: page.hasPrevious } };
  },

  async find(sql: Sql, organizationId: string, domain: string, partnerId: string): Promise<JoinableRow | undefined> {
    const raw = await sql.get<Record<string, unknown>>(`${SELECT} ${JOINABLE} AND d.organization_id = ?`, [domain, partnerId, partnerId, organizationId]);
    return raw && toJoinable(raw);
  },
};
