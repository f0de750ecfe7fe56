// The class alone, not TypeORM's index: the CLI reads entities' columns without loading TypeORM (test/cli-database.test.ts).
import { EntitySchema } from 'typeorm/entity-schema/EntitySchema.js';
import type { ColumnTypes } from '../../persistence/column-types.js';

export interface OrganizationRow {
  id: string;
  name: string;
  /** The name as filters and ordering compare it (see name-key.ts). */
  name_key: string;
  slug: string;
  metadata: Record<string, string>;
  billing_email: string | null;
  security_contact: string | null;
  language: string | null;
  invites_enabled: boolean;
  members_can_invite: boolean;
  ip_allowlist: string[];
  auto_join_domains: string[];
  max_members: number;
  is_personal: boolean;
  /** The creator of a personal organization: unique, so a partner has at most one. */
  personal_owner_id: string | null;
  /** Kept up to date in the transaction of every membership change. */
  member_count: number;
  created_at: string;
  updated_at: string;
}

export const organizationEntity = (t: ColumnTypes) =>
  new EntitySchema<OrganizationRow>({
    name: 'organization',
    columns: {
      id: { type: t.uuid, primary: true },
      name: { type: 'text' },
      name_key: { type: 'text', default: '', ...(t.codePointCollation ? { collation: t.codePointCollation } : {}) },
      slug: { type: 'varchar', length: 100, unique: true },
      metadata: { type: t.json },
      billing_email: { type: 'varchar', length: 254, nullable: true },
      security_contact: { type: 'varchar', length: 254, nullable: true },
      language: { type: 'varchar', length: 35, nullable: true },
      invites_enabled: { type: t.boolean },
      members_can_invite: { type: t.boolean },
      ip_allowlist: { type: t.json },
      auto_join_domains: { type: t.json },
      max_members: { type: 'integer', default: 0 },
      is_personal: { type: t.boolean, default: false },
      personal_owner_id: { type: t.uuid, nullable: true },
      member_count: { type: 'integer', default: 0 },
      created_at: { type: t.timestamp },
      updated_at: { type: t.timestamp },
    },
    indices: [{ name: 'uq_organization_personal_owner', columns: ['personal_owner_id'], unique: true }],
  });
