import type { Sql, Statement } from '../../persistence/database.js';
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
  lastUsedAt: string | null;
}

/** A token as `token list` shows it: everything but the secret and its hash. */
export interface TokenSummary {
  id: string;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

const isoOrNull = (value: unknown) => (value == null ? null : iso(value));

export const partnerRepository = {
  async insert(sql: Sql, row: PartnerRow): Promise<void> {
    await sql.run('INSERT INTO partner (id, email, email_key, name, created_at) VALUES (?, ?, ?, ?, ?)', [row.id, row.email, row.email_key, row.name, row.created_at]);
  },

  async findByEmailKey(sql: Sql, key: string): Promise<Partner | undefined> {
    return sql.get<Partner>('SELECT id, email, name FROM partner WHERE email_key = ?', [key]);
  },

  async findById(sql: Sql, id: string): Promise<Partner | undefined> {
    return sql.get<Partner>('SELECT id, email, name FROM partner WHERE id = ?', [id]);
  },

  async insertToken(sql: Sql, row: Omit<ApiTokenRow, 'last_used_at'>): Promise<void> {
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

  /** Every token of the partner, revoked and expired ones too, oldest first. */
  async listTokens(sql: Sql, partnerId: string): Promise<TokenSummary[]> {
    const rows = await sql.all<Record<keyof ApiTokenRow, unknown>>(
      'SELECT id, scopes, created_at, expires_at, revoked_at, last_used_at FROM api_token WHERE partner_id = ? ORDER BY created_at, id',
      [partnerId],
    );
    return rows.map((row) => ({
      id: String(row.id),
      scopes: String(row.scopes).split(' '),
      created_at: iso(row.created_at),
      expires_at: isoOrNull(row.expires_at),
      revoked_at: isoOrNull(row.revoked_at),
      last_used_at: isoOrNull(row.last_used_at),
    }));
  },

  /** Moves a token's last use forward (never back: instances may write out of order). */
  recordTokenUse(at: string, tokenId: string): Statement {
    return { sql: 'UPDATE api_token SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)', params: [at, tokenId, at] };
  },

  /** The live token with this hash, with its partner. */
  async findLiveToken(sql: Sql, hash: string): Promise<(TokenRecord & { hash: string; scopes: string; partner: Partner }) | undefined> {
    const row = await sql.get<{ id: string; partner_id: string; token_hash: string; expires_at: unknown; last_used_at: unknown; scopes: string; email: string; name: string }>(
      `SELECT t.id, t.partner_id, t.token_hash, t.expires_at, t.last_used_at, t.scopes, p.email, p.name
         FROM api_token t JOIN partner p ON p.id = t.partner_id
        WHERE t.token_hash = ? AND t.revoked_at IS NULL`,
      [hash],
    );
    if (!row) return undefined;
    const partner = { id: row.partner_id, email: row.email, name: row.name };
    return { id: row.id, partnerId: row.partner_id, hash: row.token_hash, expiresAt: isoOrNull(row.expires_at), lastUsedAt: isoOrNull(row.last_used_at), scopes: row.scopes, partner };
  },
};
