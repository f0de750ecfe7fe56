// The class alone, not TypeORM's index: the CLI reads entities' columns without loading TypeORM (test/cli-database.test.ts).
import { EntitySchema } from 'typeorm/entity-schema/EntitySchema.js';
import type { ColumnTypes } from '../../persistence/column-types.js';

export const AUDIT_TARGETS = ['organization', 'member', 'invitation', 'integration'] as const;
export type AuditTarget = (typeof AUDIT_TARGETS)[number];

export interface AuditEventRow {
  id: string;
  /** No foreign key: the trail outlives what it describes, the organization included. */
  organization_id: string;
  /** The partner who made the change; null when an operator made it with the CLI. */
  actor_id: string | null;
  /** Who made the change with the CLI (its --operator): operators are no partners, so they have no uuid to put in actor_id. */
  operator: string | null;
  action: string;
  target_type: AuditTarget;
  target_id: string;
  state_before: Record<string, unknown> | null;
  state_after: Record<string, unknown> | null;
  at: string;
}

/** One row per state change, written in the transaction of the change itself. */
export const auditEventEntity = (t: ColumnTypes) =>
  new EntitySchema<AuditEventRow>({
    name: 'audit_event',
    columns: {
      id: { type: t.uuid, primary: true },
      organization_id: { type: t.uuid },
      actor_id: { type: t.uuid, nullable: true },
      operator: { type: 'varchar', length: 100, nullable: true },
      action: { type: 'varchar', length: 40 },
      target_type: { type: 'varchar', length: 20 },
      target_id: { type: t.uuid },
      state_before: { type: t.json, nullable: true },
      state_after: { type: t.json, nullable: true },
      at: { type: t.timestamp },
    },
    indices: [{ name: 'idx_audit_event_organization', columns: ['organization_id', 'at'] }],
  });
