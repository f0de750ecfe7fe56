import { Table, TableForeignKey, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from '../column-types.js';

/** Partners, their tokens, organizations and memberships. Written once for both engines. */
export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner.connection.options.type === 'postgres' ? 'postgres' : 'sqlite');
    const id = { name: 'id', type: t.uuid as string, isPrimary: true };
    const timestamp = (name: string, isNullable = false) => ({ name, type: t.timestamp as string, isNullable });

    await queryRunner.createTable(
      new Table({
        name: 'partner',
        columns: [
          id,
          { name: 'email', type: 'varchar', length: '254' },
          { name: 'email_key', type: 'varchar', length: '254', isUnique: true },
          { name: 'name', type: 'varchar', length: '200' },
          timestamp('created_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'api_token',
        columns: [
          id,
          { name: 'partner_id', type: t.uuid as string },
          { name: 'token_hash', type: 'varchar', length: '64', isUnique: true },
          timestamp('created_at'),
          timestamp('expires_at', true),
          timestamp('revoked_at', true),
        ],
        indices: [new TableIndex({ name: 'idx_api_token_partner', columnNames: ['partner_id'] })],
        foreignKeys: [new TableForeignKey({ columnNames: ['partner_id'], referencedTableName: 'partner', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'organization',
        columns: [
          id,
          { name: 'name', type: 'text' },
          { name: 'slug', type: 'varchar', length: '100', isUnique: true },
          { name: 'metadata', type: t.json as string },
          { name: 'billing_email', type: 'varchar', length: '254', isNullable: true },
          { name: 'security_contact', type: 'varchar', length: '254', isNullable: true },
          { name: 'language', type: 'varchar', length: '35', isNullable: true },
          { name: 'invites_enabled', type: t.boolean as string },
          { name: 'members_can_invite', type: t.boolean as string },
          { name: 'ip_allowlist', type: t.json as string },
          { name: 'auto_join_domains', type: t.json as string },
          timestamp('created_at'),
          timestamp('updated_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'membership',
        columns: [
          id,
          { name: 'organization_id', type: t.uuid as string },
          { name: 'partner_id', type: t.uuid as string },
          { name: 'role', type: 'varchar', length: '16' },
          timestamp('joined_at'),
        ],
        uniques: [new TableUnique({ name: 'uq_membership_organization_partner', columnNames: ['organization_id', 'partner_id'] })],
        indices: [new TableIndex({ name: 'idx_membership_partner', columnNames: ['partner_id', 'organization_id'] })],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['organization_id'], referencedTableName: 'organization', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          new TableForeignKey({ columnNames: ['partner_id'], referencedTableName: 'partner', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['membership', 'organization', 'api_token', 'partner']) await queryRunner.dropTable(table);
  }
}
