import { Table, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';
import { ALL_SCOPES } from '../../resources/partner/scopes.js';
import { columnTypes } from '../column-types.js';

/** The audit trail, stored answers for Idempotency-Key, and token scopes (existing tokens keep every scope). */
export class AuditIdempotencyScopes1764200000000 implements MigrationInterface {
  name = 'AuditIdempotencyScopes1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner.connection.options.type === 'postgres' ? 'postgres' : 'sqlite');
    const uuid = (name: string, isPrimary = false) => ({ name, type: t.uuid as string, isPrimary });
    const timestamp = (name: string) => ({ name, type: t.timestamp as string });
    await queryRunner.query(`ALTER TABLE api_token ADD COLUMN scopes varchar(400) NOT NULL DEFAULT '${ALL_SCOPES}'`);
    await queryRunner.createTable(
      new Table({
        name: 'audit_event',
        columns: [
          uuid('id', true),
          uuid('organization_id'),
          uuid('actor_id'),
          { name: 'action', type: 'varchar', length: '40' },
          { name: 'target_type', type: 'varchar', length: '20' },
          uuid('target_id'),
          { name: 'state_before', type: t.json as string, isNullable: true },
          { name: 'state_after', type: t.json as string, isNullable: true },
          timestamp('at'),
        ],
        indices: [new TableIndex({ name: 'idx_audit_event_organization', columnNames: ['organization_id', 'at'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_key',
        columns: [
          uuid('id', true),
          uuid('partner_id'),
          { name: 'request_key', type: 'varchar', length: '255' },
          { name: 'request_hash', type: 'varchar', length: '64' },
          { name: 'status', type: 'integer', isNullable: true },
          { name: 'response_body', type: 'text', isNullable: true },
          { name: 'response_headers', type: t.json as string, isNullable: true },
          timestamp('created_at'),
        ],
        uniques: [new TableUnique({ name: 'uq_idempotency_key_partner_key', columnNames: ['partner_id', 'request_key'] })],
        indices: [new TableIndex({ name: 'idx_idempotency_key_created', columnNames: ['created_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('idempotency_key');
    await queryRunner.dropTable('audit_event');
    await queryRunner.query('ALTER TABLE api_token DROP COLUMN scopes');
  }
}
