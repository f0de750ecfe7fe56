import { EntitySchema } from 'typeorm/entity-schema/EntitySchema.js';
import type { ColumnTypes } from '../../persistence/column-types.js';
import type { AuditTarget } from '../audit/audit-event.entity.js';

export interface EventRow {
  id: string;
  /**
   * Commit order across the whole service, gap-free. SQLite numbers an event as it is written
   * (one writer); PostgreSQL writes it without one and the sequencer numbers it once its
   * transaction has committed (event-sequencer.ts). Reads never show an event without one.
   */
  sequence: number;
  /** PostgreSQL: the order events were written in (`nextval('event_arrival')`), by which the sequencer numbers those that wait. */
  arrival: string | number | null;
  /** No foreign key: an organization's events outlive it (organization.deleted above all). */
  organization_id: string;
  /** The dotted type, the audit action (`member.added`). */
  type: string;
  /** What kind of resource changed: which read permission (and scope) a reader needs to see the event. */
  category: AuditTarget;
  target_id: string;
  occurred_at: string;
  /** The changed resource as a reader could read it then: its IRI, its class and the values the change set. */
  data: Record<string, unknown>;
}

/** One row per change an event describes, written in the transaction of the change (with its audit entry). */
export const eventEntity = (t: ColumnTypes) =>
  new EntitySchema<EventRow>({
    name: 'event',
    columns: {
      id: { type: t.uuid, primary: true },
      sequence: { type: 'integer', nullable: true },
      arrival: { type: 'bigint', nullable: true },
      organization_id: { type: t.uuid },
      type: { type: 'varchar', length: 40 },
      category: { type: 'varchar', length: 20 },
      target_id: { type: t.uuid },
      occurred_at: { type: t.timestamp },
      data: { type: t.json },
    },
    uniques: [{ name: 'uq_event_sequence', columns: ['sequence'] }],
    indices: [
      { name: 'idx_event_organization_sequence', columns: ['organization_id', 'sequence'] },
      // The events the sequencer has yet to number: few, and found without reading the others.
      { name: 'idx_event_pending', columns: ['arrival'], where: 'sequence IS NULL' },
    ],
  });

export interface EventSequenceRow {
  id: number;
  last_sequence: number;
}

/**
 * One row holding the last sequence given out. On SQLite each transaction that writes an event
 * takes the next; on PostgreSQL only the sequencer does, in a short transaction of its own, so
 * writers never wait for each other's commits here (event-sequencer.ts).
 */
export const eventSequenceEntity = (_t: ColumnTypes) =>
  new EntitySchema<EventSequenceRow>({
    name: 'event_sequence',
    columns: {
      id: { type: 'integer', primary: true },
      last_sequence: { type: 'integer' },
    },
  });

export interface FormerReaderRow {
  /** Every table has an id: db:copy walks each by it. */
  id: string;
  organization_id: string;
  partner_id: string;
  /** A member's role when the organization was deleted; null for an integration. */
  role: string | null;
  /** An integration's granted scopes then (space-separated); null for a member. */
  scopes: string | null;
}

/**
 * Who stood in an organization when it was deleted, and how: afterwards nobody does, yet its
 * members and integrations still read its events (its deletion above all) as they could then.
 * No foreign key: the organization is gone.
 */
export const formerReaderEntity = (t: ColumnTypes) =>
  new EntitySchema<FormerReaderRow>({
    name: 'former_reader',
    columns: {
      id: { type: t.uuid, primary: true },
      organization_id: { type: t.uuid },
      partner_id: { type: t.uuid },
      role: { type: 'varchar', length: 16, nullable: true },
      scopes: { type: 'varchar', length: 400, nullable: true },
    },
    uniques: [{ name: 'uq_former_reader_partner', columns: ['partner_id', 'organization_id'] }],
  });
