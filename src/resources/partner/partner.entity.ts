// The class alone, not TypeORM's index: the CLI reads entities' columns without loading TypeORM (test/cli-database.test.ts).
import { EntitySchema } from 'typeorm/entity-schema/EntitySchema.js';
import type { ColumnTypes } from '../../persistence/column-types.js';
import { ALL_SCOPES } from './scopes.js';

export interface PartnerRow {
  id: string;
  email: string;
  email_key: string;
  name: string;
  created_at: string;
}

/** One of a partner's count rows (partner-tally.ts): the counts are the sums over its shards. */
export interface PartnerTallyRow {
  partner_id: string;
  shard: number;
  /** Memberships and listed installations of the partner (its organizations list), added with every change of either. */
  organizations: number;
  /** Installations of the partner as an integration. */
  installations: number;
}

export interface ApiTokenRow {
  id: string;
  partner_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  /** Space-separated scopes (see scopes.ts). */
  scopes: string;
  /** When a request last authenticated with it, to about a minute (token-last-use.ts); null if never. */
  last_used_at: string | null;
}

/** Partners are the API's callers; `email_key` (lower-cased) makes emails unique without regard to case. */
export const partnerEntity = (t: ColumnTypes) =>
  new EntitySchema<PartnerRow>({
    name: 'partner',
    columns: {
      id: { type: t.uuid, primary: true },
      email: { type: 'varchar', length: 254 },
      email_key: { type: 'varchar', length: 254, unique: true },
      name: { type: 'varchar', length: 200 },
      created_at: { type: t.timestamp },
    },
  });

export const partnerTallyEntity = (t: ColumnTypes) =>
  new EntitySchema<PartnerTallyRow>({
    name: 'partner_tally',
    columns: {
      partner_id: { type: t.uuid, primary: true },
      shard: { type: 'integer', primary: true },
      organizations: { type: 'integer', default: 0 },
      installations: { type: 'integer', default: 0 },
    },
    foreignKeys: [{ target: 'partner', columnNames: ['partner_id'], referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
  });

/** Only a SHA-256 hash of each token is kept; the token itself is shown once. */
export const apiTokenEntity = (t: ColumnTypes) =>
  new EntitySchema<ApiTokenRow>({
    name: 'api_token',
    columns: {
      id: { type: t.uuid, primary: true },
      partner_id: { type: t.uuid },
      token_hash: { type: 'varchar', length: 64, unique: true },
      created_at: { type: t.timestamp },
      expires_at: { type: t.timestamp, nullable: true },
      revoked_at: { type: t.timestamp, nullable: true },
      scopes: { type: 'varchar', length: 400, default: ALL_SCOPES },
      last_used_at: { type: t.timestamp, nullable: true },
    },
    indices: [{ name: 'idx_api_token_partner', columns: ['partner_id'] }],
    foreignKeys: [{ target: 'partner', columnNames: ['partner_id'], referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
  });
