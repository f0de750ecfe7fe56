// The class alone, not TypeORM's index: the CLI reads entities' columns without loading TypeORM (test/cli-database.test.ts).
import { EntitySchema } from 'typeorm/entity-schema/EntitySchema.js';
import type { ColumnTypes } from '../../persistence/column-types.js';

export interface IdempotencyKeyRow {
  id: string;
  partner_id: string;
  request_key: string;
  /** SHA-256 of method, path and the body's bytes: the same key with another request is refused. */
  request_hash: string;
  /**
   * NULL only inside the transaction of the request that holds the key: it commits with its
   * answer. A committed NULL was left by an earlier version whose request died; a claim takes it over.
   */
  status: number | null;
  response_body: string | null;
  /** By the names the answer sent them with (`Location`, `ETag`). */
  response_headers: Record<string, string | string[]> | null;
  created_at: string;
}

/** The first answer to each (partner, Idempotency-Key), replayed to retries for 24 hours. */
export const idempotencyKeyEntity = (t: ColumnTypes) =>
  new EntitySchema<IdempotencyKeyRow>({
    name: 'idempotency_key',
    columns: {
      id: { type: t.uuid, primary: true },
      partner_id: { type: t.uuid },
      request_key: { type: 'varchar', length: 255 },
      request_hash: { type: 'varchar', length: 64 },
      status: { type: 'integer', nullable: true },
      response_body: { type: 'text', nullable: true },
      response_headers: { type: t.json, nullable: true },
      created_at: { type: t.timestamp },
    },
    uniques: [{ name: 'uq_idempotency_key_partner_key', columns: ['partner_id', 'request_key'] }],
    indices: [{ name: 'idx_idempotency_key_created', columns: ['created_at'] }],
  });
