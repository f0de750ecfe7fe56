import { Table, TableForeignKey, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from '../column-types.js';

/**
 * Integrations installed into organizations. A partner's organization_count now counts its
 * installations that grant organization:read too (its organizations list shows them);
 * installation_count is the size of /api/me/installations.
 */
export class Integrations1764400000000 implements MigrationInterface {
  name = 'Integrations1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner.connection.options.type === 'postgres' ? 'postgres' : 'sqlite');
    const uuid = (name: string, isPrimary = false) => ({ name, type: t.uuid as string, isPrimary });
    const timestamp = (name: string) => ({ name, type: t.timestamp as string });
    await queryRunner.createTable(
      new Table({
        name: 'integration',
        columns: [
          uuid('id', true),
          uuid('organization_id'),
          uuid('partner_id'),
          { name: 'scopes', type: 'varchar', length: '400' },
          { name: 'listed', type: t.boolean as string },
          { name: 'config', type: t.json as string },
          timestamp('created_at'),
          uuid('created_by'),
          timestamp('updated_at'),
        ],
        uniques: [new TableUnique({ name: 'uq_integration_organization_partner', columnNames: ['organization_id', 'partner_id'] })],
        indices: [
          new TableIndex({ name: 'idx_integration_partner_created', columnNames: ['partner_id', 'created_at', 'organization_id'] }),
          new TableIndex({ name: 'idx_integration_partner_listed', columnNames: ['partner_id', 'listed', 'created_at', 'organization_id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['organization_id'], referencedTableName: 'organization', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          new TableForeignKey({ columnNames: ['partner_id'], referencedTableName: 'partner', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
    );
    await queryRunner.query('ALTER TABLE partner ADD COLUMN installation_count integer NOT NULL DEFAULT 0');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('UPDATE partner SET organization_count = organization_count - (SELECT COUNT(*) FROM integration n WHERE n.partner_id = partner.id AND n.listed = TRUE)');
    await queryRunner.query('ALTER TABLE partner DROP COLUMN installation_count');
    await queryRunner.dropTable('integration');
  }
}
