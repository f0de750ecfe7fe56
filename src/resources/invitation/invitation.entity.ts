// The class alone, not TypeORM's index: the CLI reads entities' columns without loading TypeORM (test/cli-database.test.ts).
import { EntitySchema } from 'typeorm/entity-schema/EntitySchema.js';
import type { ColumnTypes } from '../../persistence/column-types.js';
import type { Role } from '../member/member.description.js';

export interface InvitationRow {
  id: string;
  organization_id: string;
  email: string;
  email_key: string;
  /** `email_key` while pending, NULL once accepted, revoked or replaced after expiry. */
  pending_key: string | null;
  role: Role;
  expires_at: string;
  created_at: string;
  created_by: string;
  accepted_at: string | null;
  accepted_by: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
}

/** An invitation by email; its status follows from accepted_at, revoked_at and expires_at. */
export const invitationEntity = (t: ColumnTypes) =>
  new EntitySchema<InvitationRow>({
    name: 'invitation',
    columns: {
      id: { type: t.uuid, primary: true },
      organization_id: { type: t.uuid },
      email: { type: 'varchar', length: 254 },
      email_key: { type: 'varchar', length: 254 },
      pending_key: { type: 'varchar', length: 254, nullable: true },
      role: { type: 'varchar', length: 16 },
      expires_at: { type: t.timestamp },
      created_at: { type: t.timestamp },
      created_by: { type: t.uuid },
      accepted_at: { type: t.timestamp, nullable: true },
      accepted_by: { type: t.uuid, nullable: true },
      revoked_at: { type: t.timestamp, nullable: true },
      revoked_by: { type: t.uuid, nullable: true },
    },
    uniques: [{ name: 'uq_invitation_pending', columns: ['organization_id', 'pending_key'] }],
    indices: [
      { name: 'idx_invitation_organization', columns: ['organization_id', 'created_at'] },
      { name: 'idx_invitation_email', columns: ['email_key', 'created_at'] },
    ],
    foreignKeys: [{ target: 'organization', columnNames: ['organization_id'], referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
  });
