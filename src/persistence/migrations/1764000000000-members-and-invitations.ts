import { Table, TableForeignKey, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from '../column-types.js';

/**
 * Organization limits (max_members, is_personal), a member count kept with every membership
 * change, and invitations. Columns are added with ALTER TABLE on both engines: TypeORM's
 * SQLite addColumn rebuilds the table, and dropping the old copy would cascade to memberships.
 */
export class MembersAndInvitations1764000000000 implements MigrationInterface {
  name = 'MembersAndInvitations1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const t = columnTypes(postgres ? 'postgres' : 'sqlite');
    const no = postgres ? 'false' : '0';
    for (const column of [
      'max_members integer NOT NULL DEFAULT 0',
      `is_personal ${String(t.boolean)} NOT NULL DEFAULT ${no}`,
      `personal_owner_id ${String(t.uuid)}`,
      'member_count integer NOT NULL DEFAULT 0',
    ]) {
      await queryRunner.query(`ALTER TABLE organization ADD COLUMN ${column}`);
    }
    await queryRunner.query('UPDATE organization SET member_count = (SELECT COUNT(*) FROM membership m WHERE m.organization_id = organization.id)');
    await queryRunner.createIndex('organization', new TableIndex({ name: 'uq_organization_personal_owner', columnNames: ['personal_owner_id'], isUnique: true }));
    await queryRunner.createIndex('membership', new TableIndex({ name: 'idx_membership_organization_joined', columnNames: ['organization_id', 'joined_at'] }));

    const id = { name: 'id', type: t.uuid as string, isPrimary: true };
    const uuid = (name: string, isNullable = false) => ({ name, type: t.uuid as string, isNullable });
    const timestamp = (name: string, isNullable = false) => ({ name, type: t.timestamp as string, isNullable });
    await queryRunner.createTable(
      new Table({
        name: 'invitation',
        columns: [
          id,
          uuid('organization_id'),
          { name: 'email', type: 'varchar', length: '254' },
          { name: 'email_key', type: 'varchar', length: '254' },
          // The email key while the invitation is pending, NULL after: one pending invitation per email.
          { name: 'pending_key', type: 'varchar', length: '254', isNullable: true },
          { name: 'role', type: 'varchar', length: '16' },
          timestamp('expires_at'),
          timestamp('created_at'),
          uuid('created_by'),
          timestamp('accepted_at', true),
          uuid('accepted_by', true),
          timestamp('revoked_at', true),
          uuid('revoked_by', true),
        ],
        uniques: [new TableUnique({ name: 'uq_invitation_pending', columnNames: ['organization_id', 'pending_key'] })],
        indices: [
          new TableIndex({ name: 'idx_invitation_organization', columnNames: ['organization_id', 'created_at'] }),
          new TableIndex({ name: 'idx_invitation_email', columnNames: ['email_key', 'created_at'] }),
        ],
        foreignKeys: [new TableForeignKey({ columnNames: ['organization_id'], referencedTableName: 'organization', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('invitation');
    await queryRunner.dropIndex('membership', 'idx_membership_organization_joined');
    await queryRunner.dropIndex('organization', 'uq_organization_personal_owner');
    for (const column of ['member_count', 'personal_owner_id', 'is_personal', 'max_members']) {
      await queryRunner.query(`ALTER TABLE organization DROP COLUMN ${column}`);
    }
  }
}
