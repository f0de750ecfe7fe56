import type { ColumnType } from 'typeorm';

/** Column types per engine, shared by the entity schemas and the migrations. */
export interface ColumnTypes {
  uuid: ColumnType;
  timestamp: ColumnType;
  json: ColumnType;
  boolean: ColumnType;
  /** Collation that orders by code point (SQLite's default, BINARY, does). */
  codePointCollation?: string;
}

export function columnTypes(engine: 'sqlite' | 'postgres'): ColumnTypes {
  return engine === 'postgres'
    ? { uuid: 'uuid', timestamp: 'timestamptz', json: 'jsonb', boolean: 'boolean', codePointCollation: 'C' }
    : { uuid: 'varchar', timestamp: 'varchar', json: 'text', boolean: 'boolean' };
}
