import type { Sql } from '../../persistence/database.js';
import { iso } from '../../persistence/values.js';
import type { ApiTokenRow, PartnerRow } from './partner.entity.js';

export interface Partner {
  id: string;
  email: string;
  name: string;
}

export interface TokenRecord {
  id: string;
  partnerId: string;
  expiresAt: string | null;
}

export const partnerRepository = {
  async insert(sql: Sql, row: Omit<PartnerRow, 'organization_count' | 'installation_count'>): Promise<void> {
    await sql.run('INSERT INTO partner (id, email, email_key, name, created_at) VALUES (?, ?, ?, ?, ?)', [row.id, row.email, row.email_key, row.name, row.created_at]);
  },

  async findByEmailKey(sql: Sql, key: string): Promise<Partner | undefined> {
    return sql.get<Partner>('SELECT id, email, name FROM partner WHERE email_key = ?', [key]);
  },

  async findById(sql: Sql, id: string): Promise<Partner | undefined> {
    return sql.get<Partner>('SELECT id, email, name FROM partner WHERE id = ?', [id]);
  },

  async insertToken(sql: Sql, row: ApiTokenRow): Promise<void> {
    await sql.run('INSERT INTO api_token (id, partner_id, token_hash, created_at, expires_at, revoked_at, scopes) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      row.id,
      row.partner_id,
      row.token_hash,
      row.created_at,
      row.expires_at,
      row.revoked_at,
      row.scopes,
    ]);
  },

  async revokeToken(sql: Sql, id: string, at: string): Promise<boolean> {
    const { changes } = await sql.run('UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at, id]);
    return changes > 0;
  },

  /** The live token with this hash, with its partner. */
  async findLiveToken(sql: Sql, hash: string): Promise<(TokenRecord & { hash: string; scopes: string; partner: Partner }) | undefined> {
    const row = await sql.get<{ id: string; partner_id: string; token_hash: string; expires_at: unknown; scopes: string; email: string; name: string }>(
      `SELECT t.id, t.partner_id, t.token_hash, t.expires_at, t.scopes, p.email, p.name
         FROM api_token t JOIN partner p ON p.id = t.partner_id
        WHERE t.token_hash = ? AND t.revoked_at IS NULL`,
      [hash],
    );
    if (!row) return undefined;
    const expiresAt = row.expires_at == null ? null : iso(row.expires_at);
    return { id: row.id, partnerId: row.partner_id, hash: row.token_hash, expiresAt, scopes: row.scopes, partner: { id: row.partner_id, email: row.email, name: row.name } };
  },
};
