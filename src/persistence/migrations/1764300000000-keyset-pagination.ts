import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * What cursor pagination of a partner's organizations needs: an index in the order they are
 * listed, and their number kept on the partner (COUNT(*) over a million memberships costs
 * tens of milliseconds a request).
 */
export class KeysetPagination1764300000000 implements MigrationInterface {
  name = 'KeysetPagination1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE partner ADD COLUMN organization_count integer NOT NULL DEFAULT 0');
    await queryRunner.query('UPDATE partner SET organization_count = (SELECT COUNT(*) FROM membership m WHERE m.partner_id = partner.id)');
    await queryRunner.createIndex('membership', new TableIndex({ name: 'idx_membership_partner_joined', columnNames: ['partner_id', 'joined_at', 'organization_id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('membership', 'idx_membership_partner_joined');
    await queryRunner.query('ALTER TABLE partner DROP COLUMN organization_count');
  }
}
