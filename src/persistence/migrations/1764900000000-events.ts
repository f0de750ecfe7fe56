import { Table, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from '../column-types.js';

/**
 * The events feed: one row per change recorded in the audit trail, in the same transaction; the
 * one-row counter that orders them by commit; who stood in each deleted organization.
 */
export class Events1764900000000 implements MigrationInterface {
  name = 'Events1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner.connection.options.type === 'postgres' ? 'postgres' : 'sqlite');
    const uuid = (name: string, isPrimary = false) => ({ name, type: t.uuid as string, isPrimary });
    await queryRunner.createTable(
      new Table({
        name: 'event',
        columns: [
          uuid('id', true),
          { name: 'sequence', type: 'integer' },
          uuid('organization_id'),
          { name: 'type', type: 'varchar', length: '40' },
          { name: 'category', type: 'varchar', length: '20' },
          uuid('target_id'),
          { name: 'occurred_at', type: t.timestamp as string },
          { name: 'data', type: t.json as string },
        ],
        uniques: [new TableUnique({ name: 'uq_event_sequence', columnNames: ['sequence'] })],
        indices: [new TableIndex({ name: 'idx_event_organization_sequence', columnNames: ['organization_id', 'sequence'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'event_sequence',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'last_sequence', type: 'integer' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'former_reader',
        columns: [
          uuid('id', true),
          uuid('organization_id'),
          uuid('partner_id'),
          { name: 'role', type: 'varchar', length: '16', isNullable: true },
          { name: 'scopes', type: 'varchar', length: '400', isNullable: true },
        ],
        uniques: [new TableUnique({ name: 'uq_former_reader_partner', columnNames: ['partner_id', 'organization_id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('former_reader');
    await queryRunner.dropTable('event_sequence');
    await queryRunner.dropTable('event');
  }
}
