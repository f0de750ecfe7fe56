// The class alone, not TypeORM's index: the CLI reads entities' columns without loading TypeORM (test/cli-database.test.ts).
import { EntitySchema } from 'typeorm/entity-schema/EntitySchema.js';
import type { ColumnTypes } from '../../persistence/column-types.js';

/**
 * One row per organization per email domain of its auto_join_domains (lower-cased), written in
 * the transaction that sets them: a partner's joinable organizations are then one index range
 * read by its domain, never a scan of every organization's JSON column.
 */
export interface AutoJoinDomainRow {
  id: string;
  organization_id: string;
  /** Lower case: domains match without regard to case. */
  domain: string;
  /** The organization's, so its joinable list is oldest organization first, in the index. */
  organization_created_at: string;
}

export const autoJoinDomainEntity = (t: ColumnTypes) =>
  new EntitySchema<AutoJoinDomainRow>({
    name: 'auto_join_domain',
    columns: {
      id: { type: t.uuid, primary: true },
      organization_id: { type: t.uuid },
      domain: { type: 'varchar', length: 253 },
      organization_created_at: { type: t.timestamp },
    },
    uniques: [{ name: 'uq_auto_join_domain_organization_domain', columns: ['organization_id', 'domain'] }],
    indices: [{ name: 'idx_auto_join_domain_domain_created', columns: ['domain', 'organization_created_at', 'organization_id'] }],
    foreignKeys: [{ target: 'organization', columnNames: ['organization_id'], referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
  });
