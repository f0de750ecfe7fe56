// The class alone, not TypeORM's index: the CLI reads entities' columns without loading TypeORM (test/cli-database.test.ts).
import { EntitySchema } from 'typeorm/entity-schema/EntitySchema.js';
import type { ColumnTypes } from '../../persistence/column-types.js';

export interface IntegrationRow {
  id: string;
  organization_id: string;
  /** The installed partner: it acts in the organization with its own token. */
  partner_id: string;
  /** Space-separated granted scopes, as tokens keep theirs. */
  scopes: string;
  /** Granted organization:read: only then is the organization in the partner's organizations list. */
  listed: boolean;
  config: Record<string, string>;
  created_at: string;
  created_by: string;
  updated_at: string;
}

/**
 * A partner installed into an organization it is not a member of. One per partner per
 * organization; a partner is either a member or installed there, never both (each side
 * checks the other under the organization's lock).
 */
export const integrationEntity = (t: ColumnTypes) =>
  new EntitySchema<IntegrationRow>({
    name: 'integration',
    columns: {
      id: { type: t.uuid, primary: true },
      organization_id: { type: t.uuid },
      partner_id: { type: t.uuid },
      scopes: { type: 'varchar', length: 400 },
      listed: { type: t.boolean },
      config: { type: t.json },
      created_at: { type: t.timestamp },
      created_by: { type: t.uuid },
      updated_at: { type: t.timestamp },
    },
    uniques: [{ name: 'uq_integration_organization_partner', columns: ['organization_id', 'partner_id'] }],
    indices: [
      // /api/me/installations, in the order they were made.
      { name: 'idx_integration_partner_created', columns: ['partner_id', 'created_at', 'organization_id'] },
      // The partner's organizations list: the installations that grant organization:read.
      { name: 'idx_integration_partner_listed', columns: ['partner_id', 'listed', 'created_at', 'organization_id'] },
    ],
    foreignKeys: [
      { target: 'organization', columnNames: ['organization_id'], referencedColumnNames: ['id'], onDelete: 'CASCADE' },
      { target: 'partner', columnNames: ['partner_id'], referencedColumnNames: ['id'], onDelete: 'CASCADE' },
    ],
  });
