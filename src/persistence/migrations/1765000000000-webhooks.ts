import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from '../column-types.js';

/** Webhook endpoints (with their delivery state: delivered_through, retries, lease) and the attempts made. */
export class Webhooks1765000000000 implements MigrationInterface {
  name = 'Webhooks1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner.connection.options.type === 'postgres' ? 'postgres' : 'sqlite');
    const uuid = (name: string, isPrimary = false) => ({ name, type: t.uuid as string, isPrimary });
    const timestamp = (name: string, isNullable = false) => ({ name, type: t.timestamp as string, isNullable });
    const text = (name: string, length: number, isNullable = false) => ({ name, type: 'varchar', length: String(length), isNullable });
    await queryRunner.createTable(
      new Table({
        name: 'webhook_endpoint',
        columns: [
          uuid('id', true),
          uuid('partner_id'),
          { ...uuid('organization_id'), isNullable: true },
          text('url', 2000),
          { name: 'events', type: t.json as string },
          { name: 'enabled', type: t.boolean as string },
          text('disabled_reason', 200, true),
          text('secret_sealed', 200),
          text('previous_secret_sealed', 200, true),
          timestamp('previous_secret_expires_at', true),
          { name: 'delivered_through', type: 'integer' },
          { name: 'failed_attempts', type: 'integer' },
          timestamp('next_attempt_at', true),
          timestamp('failing_since', true),
          timestamp('lease_until', true),
          text('lease_owner', 64, true),
          timestamp('created_at'),
          timestamp('updated_at'),
        ],
        indices: [new TableIndex({ name: 'idx_webhook_endpoint_partner_created', columnNames: ['partner_id', 'created_at', 'id'] })],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['partner_id'], referencedTableName: 'partner', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          new TableForeignKey({ columnNames: ['organization_id'], referencedTableName: 'organization', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_attempt',
        columns: [
          uuid('id', true),
          uuid('endpoint_id'),
          uuid('event_id'),
          { name: 'attempt', type: 'integer' },
          timestamp('at'),
          { name: 'status_code', type: 'integer', isNullable: true },
          { name: 'duration_ms', type: 'integer' },
          text('error', 500, true),
          text('outcome', 16),
        ],
        indices: [new TableIndex({ name: 'idx_webhook_attempt_endpoint_at', columnNames: ['endpoint_id', 'at', 'id'] })],
        foreignKeys: [new TableForeignKey({ columnNames: ['endpoint_id'], referencedTableName: 'webhook_endpoint', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('webhook_attempt');
    await queryRunner.dropTable('webhook_endpoint');
  }
}
