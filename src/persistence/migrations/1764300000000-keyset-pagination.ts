import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * What reading large collections in constant time needs: an index in the order a partner's
 * organizations are listed, their number kept on the partner (COUNT(*) over a million
 * memberships costs tens of milliseconds a request), and an index for an organization's owners.
 */
export class KeysetPagination1764300000000 implements MigrationInterface {
  name = 'KeysetPagination1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE partner ADD COLUMN organization_count integer NOT NULL DEFAULT 0');
    await queryRunner.query('UPDATE partner SET organization_count = (SELECT COUNT(*) FROM membership m WHERE m.partner_id = partner.id)');
    await queryRunner.createIndex('membership', new TableIndex({ name: 'idx_membership_partner_joined', columnNames: ['partner_id', 'joined_at', 'organization_id'] }));
    // Members in their page order, ties included, so a page is one index range read.
    await queryRunner.dropIndex('membership', 'idx_membership_organization_joined');
    await queryRunner.createIndex('membership', new TableIndex({ name: 'idx_membership_organization_joined_id', columnNames: ['organization_id', 'joined_at', 'id'] }));
    // The owners embedded first in an organization, found without reading its other members.
    await queryRunner.createIndex('membership', new TableIndex({ name: 'idx_membership_organization_role', columnNames: ['organization_id', 'role', 'joined_at', 'id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('membership', 'idx_membership_organization_role');
    await queryRunner.dropIndex('membership', 'idx_membership_organization_joined_id');
    await queryRunner.createIndex('membership', new TableIndex({ name: 'idx_membership_organization_joined', columnNames: ['organization_id', 'joined_at'] }));
    await queryRunner.dropIndex('membership', 'idx_membership_partner_joined');
    await queryRunner.query('ALTER TABLE partner DROP COLUMN organization_count');
  }
}
