import { Table, TableForeignKey, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from '../column-types.js';

/**
 * A partner's counts move from two columns of its row to shard rows of partner_tally
 * (src/resources/partner/partner-tally.ts), so that its concurrent changes stop queueing on one
 * row lock. Each partner's counts so far become its shard 0. The columns are dropped with plain
 * ALTER TABLE (SQLite 3.35 and later, PostgreSQL), as the earlier migrations do: TypeORM's SQLite
 * dropColumn rebuilds the table from what it knows of it, which lost a column added by plain SQL before.
 */
export class PartnerTally1765200000000 implements MigrationInterface {
  name = 'PartnerTally1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner.connection.options.type === 'postgres' ? 'postgres' : 'sqlite');
    await queryRunner.createTable(
      new Table({
        name: 'partner_tally',
        columns: [
          { name: 'partner_id', type: t.uuid as string, isPrimary: true },
          { name: 'shard', type: 'integer', isPrimary: true },
          { name: 'organizations', type: 'integer', default: 0 },
          { name: 'installations', type: 'integer', default: 0 },
        ],
        foreignKeys: [new TableForeignKey({ columnNames: ['partner_id'], referencedTableName: 'partner', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
      }),
    );
    await queryRunner.query(
      'INSERT INTO partner_tally (partner_id, shard, organizations, installations) SELECT id, 0, organization_count, installation_count FROM partner WHERE organization_count <> 0 OR installation_count <> 0',
    );
    await queryRunner.query('ALTER TABLE partner DROP COLUMN organization_count');
    await queryRunner.query('ALTER TABLE partner DROP COLUMN installation_count');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE partner ADD COLUMN organization_count integer NOT NULL DEFAULT 0');
    await queryRunner.query('ALTER TABLE partner ADD COLUMN installation_count integer NOT NULL DEFAULT 0');
    await queryRunner.query(
      'UPDATE partner SET organization_count = COALESCE((SELECT SUM(organizations) FROM partner_tally s WHERE s.partner_id = partner.id), 0), installation_count = COALESCE((SELECT SUM(installations) FROM partner_tally s WHERE s.partner_id = partner.id), 0)',
    );
    await queryRunner.dropTable('partner_tally');
  }
}
