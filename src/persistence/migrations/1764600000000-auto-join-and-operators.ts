import { randomUUID } from 'node:crypto';
import { Table, TableColumn, TableForeignKey, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from '../column-types.js';

/**
 * auto_join_domains become joinable: one row per organization and domain (lower-cased), read by
 * domain from an index, filled here from what organizations already list (not personal ones,
 * which can have no other member). And the audit trail can name an operator of the CLI, who is
 * no partner: actor_id becomes nullable and `operator` holds the name given.
 */
export class AutoJoinAndOperators1764600000000 implements MigrationInterface {
  name = 'AutoJoinAndOperators1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const t = columnTypes(postgres ? 'postgres' : 'sqlite');
    await queryRunner.createTable(
      new Table({
        name: 'auto_join_domain',
        columns: [
          { name: 'id', type: t.uuid as string, isPrimary: true },
          { name: 'organization_id', type: t.uuid as string },
          { name: 'domain', type: 'varchar', length: '253' },
          { name: 'organization_created_at', type: t.timestamp as string },
        ],
        uniques: [new TableUnique({ name: 'uq_auto_join_domain_organization_domain', columnNames: ['organization_id', 'domain'] })],
        indices: [new TableIndex({ name: 'idx_auto_join_domain_domain_created', columnNames: ['domain', 'organization_created_at', 'organization_id'] })],
        foreignKeys: [new TableForeignKey({ columnNames: ['organization_id'], referencedTableName: 'organization', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
      }),
    );
    await fillAutoJoinDomains(queryRunner, postgres);
    await queryRunner.changeColumn('audit_event', 'actor_id', new TableColumn({ name: 'actor_id', type: t.uuid as string, isNullable: true }));
    await queryRunner.addColumn('audit_event', new TableColumn({ name: 'operator', type: 'varchar', length: '100', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner.connection.options.type === 'postgres' ? 'postgres' : 'sqlite');
    await queryRunner.dropColumn('audit_event', 'operator');
    // The nil UUID stands for "an operator" in a schema that cannot say it otherwise; the events stay.
    await queryRunner.query("UPDATE audit_event SET actor_id = '00000000-0000-0000-0000-000000000000' WHERE actor_id IS NULL");
    await queryRunner.changeColumn('audit_event', 'actor_id', new TableColumn({ name: 'actor_id', type: t.uuid as string }));
    await queryRunner.dropTable('auto_join_domain');
  }
}

/** In JavaScript rather than with each engine's JSON functions: the same code on both. */
async function fillAutoJoinDomains(queryRunner: QueryRunner, postgres: boolean): Promise<void> {
  const param = (n: number) => (postgres ? `$${n}` : '?');
  const rows: { id: string; auto_join_domains: unknown; created_at: unknown }[] = await queryRunner.query(
    `SELECT id, auto_join_domains, created_at FROM organization WHERE is_personal = ${param(1)} AND auto_join_domains <> ${param(2)}`,
    [false, '[]'],
  );
  for (const row of rows) {
    const listed = typeof row.auto_join_domains === 'string' ? (JSON.parse(row.auto_join_domains) as string[]) : (row.auto_join_domains as string[]);
    const createdAt = row.created_at instanceof Date ? row.created_at.toISOString() : String(row.created_at);
    for (const domain of new Set(listed.map((d) => d.toLowerCase()))) {
      await queryRunner.query(
        `INSERT INTO auto_join_domain (id, organization_id, domain, organization_created_at) VALUES (${param(1)}, ${param(2)}, ${param(3)}, ${param(4)})`,
        [randomUUID(), row.id, domain, createdAt],
      );
    }
  }
}
