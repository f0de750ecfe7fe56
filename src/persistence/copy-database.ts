import type { DataSource } from 'typeorm';
import type { Database, Params, Sql } from './database.js';
import { tablesParentsFirst } from './table-order.js';

/** A data table's name: one of the tables of the modules' entity schemas (src/resources/registry.ts). */
export type DataTable = string;
/** Rows per table, in copy order. */
export type RowCounts = Record<DataTable, number>;

/** What openDatabase returns: the queries, and the TypeORM metadata that knows each column's type. */
export interface OpenedDatabase {
  database: Database;
  dataSource: DataSource;
}

export class TargetNotEmptyError extends Error {
  constructor(readonly tables: Partial<RowCounts>) {
    const list = Object.entries(tables).map(([table, n]) => `${table} (${n})`).join(', ');
    super(`The target database is not empty: ${list}. Copy only into an empty database; nothing was written.`);
    this.name = 'TargetNotEmptyError';
  }
}

type Row = Record<string, unknown>;
type Value = Params[number];
interface Column {
  name: string;
  convert: (value: unknown) => Value;
}

const JSON_TYPES = new Set(['json', 'jsonb', 'simple-json']);

/**
 * PostgreSQL hands back Date for timestamptz and parsed values for jsonb; SQLite keeps ISO
 * text, JSON text and 0/1. Both accept ISO text and JSON text, so those pass through.
 */
function converter(where: string, sourceType: string, targetType: string): Column['convert'] {
  return (value) => {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) return value.toISOString();
    if (targetType === 'boolean') {
      if (typeof value === 'boolean') return value;
      if (value === 0 || value === 1) return value === 1;
      throw new Error(`${where} holds ${JSON.stringify(value)}, which is not a boolean.`);
    }
    // Stringify by the source's type, not the value's: a jsonb string scalar must keep its quotes.
    if (JSON_TYPES.has(sourceType)) return JSON.stringify(value);
    if (typeof value === 'string' || typeof value === 'number') return value;
    throw new Error(`${where} holds a ${typeof value}, which cannot be copied.`);
  };
}

function columnsOf(table: DataTable, source: DataSource, target: DataSource): Column[] {
  const sourceTypes = new Map(source.getMetadata(table).columns.map((c) => [c.databaseName, String(c.type)]));
  return target.getMetadata(table).columns.map((c) => ({
    name: c.databaseName,
    convert: converter(`${table}.${c.databaseName}`, sourceTypes.get(c.databaseName) ?? '', String(c.type)),
  }));
}

function primaryKey(table: DataTable, dataSource: DataSource): string[] {
  return dataSource.getMetadata(table).primaryColumns.map((c) => c.databaseName);
}

/** A source column the target does not know would be lost: refuse instead. */
function checkColumns(table: DataTable, columns: Column[], row: Row): void {
  const known = new Set(columns.map((c) => c.name));
  const unknown = Object.keys(row).filter((name) => !known.has(name));
  const missing = [...known].filter((name) => !(name in row));
  if (unknown.length || missing.length) {
    throw new Error(`The ${table} tables differ: only in the source ${unknown.join(', ') || '-'}; only in the target ${missing.join(', ') || '-'}.`);
  }
}

async function countRows(sql: Sql, table: DataTable): Promise<number> {
  const row = await sql.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(row?.n ?? 0); // PostgreSQL's COUNT is a bigint, which pg returns as text
}

/** Keyset batches in the order of the table's primary key (one column or several), so a large table never sits in memory at once. */
async function* batches(sql: Sql, table: DataTable, key: string[], size: number): AsyncGenerator<Row[]> {
  const order = key.join(', ');
  const after = key.length === 1 ? `${key[0]} > ?` : `(${order}) > (${key.map(() => '?').join(', ')})`;
  let last: Value[] | undefined;
  for (;;) {
    const rows =
      last === undefined
        ? await sql.all<Row>(`SELECT * FROM ${table} ORDER BY ${order} LIMIT ?`, [size])
        : await sql.all<Row>(`SELECT * FROM ${table} WHERE ${after} ORDER BY ${order} LIMIT ?`, [...last, size]);
    if (rows.length > 0) yield rows;
    if (rows.length < size) return;
    const end = rows[rows.length - 1];
    last = key.map((column) => (typeof end[column] === 'number' ? (end[column] as number) : String(end[column])));
  }
}

async function copyTable(reader: Sql, writer: Sql, table: DataTable, columns: Column[], key: string[], batchSize: number): Promise<number> {
  const row = `(${columns.map(() => '?').join(', ')})`;
  const names = columns.map((c) => c.name).join(', ');
  let copied = 0;
  for await (const rows of batches(reader, table, key, batchSize)) {
    checkColumns(table, columns, rows[0]);
    const params = rows.flatMap((r) => columns.map((c) => c.convert(r[c.name])));
    copied += (await writer.run(`INSERT INTO ${table} (${names}) VALUES ${rows.map(() => row).join(', ')}`, params)).changes;
  }
  return copied;
}

/**
 * Reads the source in one snapshot, so rows written meanwhile cannot break a foreign key:
 * SQLite's write transaction holds the only write lock; PostgreSQL needs REPEATABLE READ.
 */
function inSnapshot<T>(source: Database, work: (reader: Sql) => Promise<T>): Promise<T> {
  return source.transaction(async (reader) => {
    if (reader.engine === 'postgres') await reader.run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    return work(reader);
  });
}

/**
 * Copies every row of every data table from `source` into the empty `target`, in one target
 * transaction: it commits only if each table's count matches the source's, else nothing stays.
 */
export async function copyDatabase(source: OpenedDatabase, target: OpenedDatabase, batchSize = 500): Promise<RowCounts> {
  return inSnapshot(source.database, (reader) =>
    target.database.transaction(async (writer) => {
      const tables = tablesParentsFirst(target.dataSource);
      const occupied: Partial<RowCounts> = {};
      for (const table of tables) {
        const n = await countRows(writer, table);
        if (n > 0) occupied[table] = n;
      }
      if (Object.keys(occupied).length > 0) throw new TargetNotEmptyError(occupied);

      const copied = {} as RowCounts;
      for (const table of tables) {
        copied[table] = await copyTable(reader, writer, table, columnsOf(table, source.dataSource, target.dataSource), primaryKey(table, target.dataSource), batchSize);
        const [inSource, inTarget] = [await countRows(reader, table), await countRows(writer, table)];
        if (copied[table] !== inSource || inTarget !== inSource) {
          throw new Error(`${table}: ${inSource} rows in the source, ${inTarget} in the target after copying ${copied[table]}; nothing was written.`);
        }
      }
      return copied;
    }),
  );
}
