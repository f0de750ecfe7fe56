import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes } from '../column-types.js';

/** When each token was last used (to about a minute, see token-last-use.ts), so `token list` shows which are idle. */
export class TokenLastUse1764700000000 implements MigrationInterface {
  name = 'TokenLastUse1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner.connection.options.type === 'postgres' ? 'postgres' : 'sqlite');
    await queryRunner.query(`ALTER TABLE api_token ADD COLUMN last_used_at ${String(t.timestamp)} NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE api_token DROP COLUMN last_used_at');
  }
}
