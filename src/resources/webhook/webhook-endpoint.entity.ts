import { EntitySchema } from 'typeorm/entity-schema/EntitySchema.js';
import type { ColumnTypes } from '../../persistence/column-types.js';

export interface WebhookEndpointRow {
  id: string;
  /** The partner that registered it: the only one who sees it, and whose standing decides what it receives. */
  partner_id: string;
  /** Only this organization's events; null: those of every organization the partner may read. */
  organization_id: string | null;
  url: string;
  /** Event types it receives; empty: all. */
  events: string[];
  enabled: boolean;
  /** Why it was disabled by the service (a 410, or failing longer than the retry schedule); null otherwise. */
  disabled_reason: string | null;
  /** The signing secret, AES-256-GCM sealed with WEBHOOK_SECRET_KEY (signing-secret.ts). */
  secret_sealed: string;
  /** The secret before the last rotation, which still signs until previous_secret_expires_at. */
  previous_secret_sealed: string | null;
  previous_secret_expires_at: string | null;
  /** The sequence of the last event handled (delivered, or failed for good): the worker goes on after it, in commit order. */
  delivered_through: number;
  /** Retries of the event after the delivered_through: how many attempts failed, and when the next may run. */
  failed_attempts: number;
  next_attempt_at: string | null;
  /** Since when deliveries have failed without a success in between; null while healthy. */
  failing_since: string | null;
  /** Until when an instance holds the endpoint (FOR UPDATE SKIP LOCKED claim with a lease); a killed instance's lease runs out. */
  lease_until: string | null;
  lease_owner: string | null;
  created_at: string;
  updated_at: string;
}

export const webhookEndpointEntity = (t: ColumnTypes) =>
  new EntitySchema<WebhookEndpointRow>({
    name: 'webhook_endpoint',
    columns: {
      id: { type: t.uuid, primary: true },
      partner_id: { type: t.uuid },
      organization_id: { type: t.uuid, nullable: true },
      url: { type: 'varchar', length: 2000 },
      events: { type: t.json },
      enabled: { type: t.boolean },
      disabled_reason: { type: 'varchar', length: 200, nullable: true },
      secret_sealed: { type: 'varchar', length: 200 },
      previous_secret_sealed: { type: 'varchar', length: 200, nullable: true },
      previous_secret_expires_at: { type: t.timestamp, nullable: true },
      delivered_through: { type: 'integer' },
      failed_attempts: { type: 'integer' },
      next_attempt_at: { type: t.timestamp, nullable: true },
      failing_since: { type: t.timestamp, nullable: true },
      lease_until: { type: t.timestamp, nullable: true },
      lease_owner: { type: 'varchar', length: 64, nullable: true },
      created_at: { type: t.timestamp },
      updated_at: { type: t.timestamp },
    },
    indices: [{ name: 'idx_webhook_endpoint_partner_created', columns: ['partner_id', 'created_at', 'id'] }],
    foreignKeys: [
      { target: 'partner', columnNames: ['partner_id'], referencedColumnNames: ['id'], onDelete: 'CASCADE' },
      { target: 'organization', columnNames: ['organization_id'], referencedColumnNames: ['id'], onDelete: 'CASCADE' },
    ],
  });

export type DeliveryOutcome = 'delivered' | 'retrying' | 'failed';

export interface WebhookAttemptRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  /** 1 for the first try of this event at this endpoint. */
  attempt: number;
  at: string;
  /** The receiver's status code; null when no answer came (timeout, refused address, network error). */
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  outcome: DeliveryOutcome;
}

/** One row per delivery attempt: what GET …/deliveries lists. */
export const webhookAttemptEntity = (t: ColumnTypes) =>
  new EntitySchema<WebhookAttemptRow>({
    name: 'webhook_attempt',
    columns: {
      id: { type: t.uuid, primary: true },
      endpoint_id: { type: t.uuid },
      event_id: { type: t.uuid },
      attempt: { type: 'integer' },
      at: { type: t.timestamp },
      status_code: { type: 'integer', nullable: true },
      duration_ms: { type: 'integer' },
      error: { type: 'varchar', length: 500, nullable: true },
      outcome: { type: 'varchar', length: 16 },
    },
    indices: [{ name: 'idx_webhook_attempt_endpoint_at', columns: ['endpoint_id', 'at', 'id'] }],
    foreignKeys: [{ target: 'webhook_endpoint', columnNames: ['endpoint_id'], referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
  });
