import type { MigrationInterface, QueryRunner } from 'typeorm';
import { nameKey } from '../../resources/organization/name-key.js';

/**
 * `name_key`, the name lower-cased by JavaScript, in code-point order on both engines: the
 * name filter and the order by name then behave the same on SQLite and PostgreSQL, whose
 * LOWER() and default collations differ outside ASCII.
 */
export class OrganizationNameKey1764100000000 implements MigrationInterface {
  name = 'OrganizationNameKey1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.query(`ALTER TABLE organization ADD COLUMN name_key text${postgres ? ' COLLATE "C"' : ''} NOT NULL DEFAULT ''`);
    const rows: { id: string; name: string }[] = await queryRunner.query('SELECT id, name FROM organization');
    for (const row of rows) {
      await queryRunner.query(`UPDATE organization SET name_key = ${postgres ? '$1' : '?'} WHERE id = ${postgres ? '$2' : '?'}`, [nameKey(row.name), row.id]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE organization DROP COLUMN name_key');
  }
}
