import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Events numbered after their commit on PostgreSQL (src/resources/event/event-sequencer.ts):
 * `sequence` may wait empty for a moment, `arrival` orders those that wait, and a partial index
 * finds them. Every existing event keeps its sequence.
 */
export class EventSequencer1765100000000 implements MigrationInterface {
  name = 'EventSequencer1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query('ALTER TABLE event ALTER COLUMN sequence DROP NOT NULL');
      await queryRunner.query('ALTER TABLE event ADD COLUMN arrival bigint');
      await queryRunner.query('CREATE SEQUENCE IF NOT EXISTS event_arrival');
    } else {
      // SQLite changes a column's nullability by rebuilding the table, which TypeORM does from the table as it stands.
      await queryRunner.changeColumn('event', 'sequence', new TableColumn({ name: 'sequence', type: 'integer', isNullable: true }));
      await queryRunner.addColumn('event', new TableColumn({ name: 'arrival', type: 'bigint', isNullable: true }));
    }
    await queryRunner.createIndex('event', new TableIndex({ name: 'idx_event_pending', columnNames: ['arrival'], where: 'sequence IS NULL' }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('event', 'idx_event_pending');
    await queryRunner.dropColumn('event', 'arrival');
    if (queryRunner.connection.options.type === 'postgres') await queryRunner.query('DROP SEQUENCE IF EXISTS event_arrival');
  }
}
