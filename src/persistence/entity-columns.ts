import type { EntitySchema, EntitySchemaColumnOptions } from 'typeorm';
import { columnTypes, type ColumnTypes } from './column-types.js';
import type { Params, Statement } from './database.js';
import { bool, iso, json } from './values.js';

type Param = Params[number];

/** How a column's value comes back from either engine and goes into it. */
type Kind = 'json' | 'boolean' | 'timestamp' | 'integer' | 'as-is';

/**
 * The entity is built with PostgreSQL's column types only to tell its columns apart: there a
 * JSON, boolean or timestamp column has a type of its own, where SQLite's JSON is plain text.
 */
const PROBE = columnTypes('postgres');

function kindOf(type: unknown): Kind {
  if (type === PROBE.json) return 'json';
  if (type === PROBE.boolean) return 'boolean';
  if (type === PROBE.timestamp) return 'timestamp';
  return type === 'integer' ? 'integer' : 'as-is';
}

const READ: Record<Kind, (value: unknown) => unknown> = { json, boolean: bool, timestamp: iso, integer: Number, 'as-is': (value) => value };

/** An entity's columns as its repository writes and reads them. */
export interface EntityColumns<Row> {
  /** In the entity's order, which is the order of INSERT and SELECT lists. */
  readonly names: readonly (keyof Row & string)[];
  /** `id, name, …`, or `o.id, o.name, …` with a table alias. */
  list(alias?: string): string;
  /** A value as the column stores it: JSON columns take JSON text on both engines. */
  toColumn(name: keyof Row & string, value: unknown): Param;
  /** The entity's columns of a row as read, typed as the entity types them (NULL stays null). */
  read(raw: Record<string, unknown>): Row;
  /** An INSERT of every column of the row. */
  insert(row: Row): Statement;
}

/**
 * The columns an entity schema declares, so that a repository does not list them a second time.
 * Give it the entity's factory (the function of ColumnTypes its module exports).
 */
export function entityColumns<Row>(entity: (t: ColumnTypes) => EntitySchema<Row>): EntityColumns<Row> {
  const { name: table, columns } = entity(PROBE).options;
  const kinds = new Map(Object.entries(columns as Record<string, EntitySchemaColumnOptions>).map(([name, column]) => [name as keyof Row & string, kindOf(column.type)]));
  const names = [...kinds.keys()];
  const toColumn = (name: keyof Row & string, value: unknown) => (kinds.get(name) === 'json' && value != null ? JSON.stringify(value) : value) as Param;
  const insertSql = `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
  return {
    names,
    list: (alias) => (alias ? names.map((name) => `${alias}.${name}`) : names).join(', '),
    toColumn,
    read: (raw) => Object.fromEntries(names.map((name) => [name, raw[name] == null ? raw[name] : READ[kinds.get(name)!](raw[name])])) as Row,
    insert: (row) => ({ sql: insertSql, params: names.map((name) => toColumn(name, row[name])) }),
  };
}
