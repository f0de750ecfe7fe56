import type { Sql } from './database.js';

/**
 * Locks one row for the rest of the transaction. PostgreSQL needs FOR UPDATE; SQLite
 * transactions here begin IMMEDIATE, so the writer already holds the only write lock.
 * Apart from database.ts so that the CLI's quick path (organization recovery) need not load TypeORM.
 */
export async function lockRow(tx: Sql, table: 'organization', id: string): Promise<boolean> {
  const row = await tx.get(`SELECT id FROM ${table} WHERE id = ?${tx.engine === 'postgres' ? ' FOR UPDATE' : ''}`, [id]);
  return row !== undefined;
}
