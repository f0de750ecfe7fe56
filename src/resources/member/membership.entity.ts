// The class alone, not TypeORM's index: the CLI reads entities' columns without loading TypeORM (test/cli-database.test.ts).
import { EntitySchema } from 'typeorm/entity-schema/EntitySchema.js';
import type { ColumnTypes } from '../../persistence/column-types.js';
import type { Role } from './member.description.js';

export interface MembershipRow {
  id: string;
  organization_id: string;
  partner_id: string;
  role: Role;
  joined_at: string;
}

/** One row per partner per organization; owners are memberships with the owner role. */
export const membershipEntity = (t: ColumnTypes) =>
  new EntitySchema<MembershipRow>({
    name: 'membership',
    columns: {
      id: { type: t.uuid, primary: true },
      organization_id: { type: t.uuid },
      partner_id: { type: t.uuid },
      role: { type: 'varchar', length: 16 },
      joined_at: { type: t.timestamp },
    },
    uniques: [{ name: 'uq_membership_organization_partner', columns: ['organization_id', 'partner_id'] }],
    indices: [
      { name: 'idx_membership_partner', columns: ['partner_id', 'organization_id'] },
      { name: 'idx_membership_organization_joined_id', columns: ['organization_id', 'joined_at', 'id'] },
      { name: 'idx_membership_partner_joined', columns: ['partner_id', 'joined_at', 'organization_id'] },
      { name: 'idx_membership_organization_role', columns: ['organization_id', 'role', 'joined_at', 'id'] },
    ],
    foreignKeys: [
      { target: 'organization', columnNames: ['organization_id'], referencedColumnNames: ['id'], onDelete: 'CASCADE' },
      { target: 'partner', columnNames: ['partner_id'], referencedColumnNames: ['id'], onDelete: 'CASCADE' },
    ],
  });
