// Engine adapters for seeding: column introspection, series inserts, counters.
// Values are SQL expressions over the series index `n`, rendered per engine.
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

/** SQL expressions, one helper per kind of column value, for one engine. */
export function valuesFor(engine) {
  const postgres = engine === 'postgres';
  const quote = (text) => `'${String(text).replace(/'/g, "''")}'`;
  return {
    /** A canonical lower-case UUID: an 8-hex-digit tag, then `n` (ids stay in insertion order). */
    uuid: (tag, n = 'n') =>
      postgres ? `(${quote(`${tag}-0000-4000-8000-`)} || lpad(to_hex(${n}), 12, '0'))::uuid` : `(${quote(`${tag}-0000-4000-8000-`)} || printf('%012x', ${n}))`,
    id: (uuid) => (postgres ? `${quote(uuid)}::uuid` : quote(uuid)),
    /** ISO 8601 UTC with milliseconds, as the service stores it: 2025-01-01 plus `n` seconds. */
    time: (n = 'n') =>
      postgres ? `(timestamptz '2025-01-01 00:00:00+00' + (${n}) * interval '1 second')` : `strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01 00:00:00', '+' || (${n}) || ' seconds')`,
    /** `prefix` followed by `n`: distinct text per row. */
    numbered: (prefix, n = 'n') => `(${quote(prefix)} || ${n})`,
    text: quote,
    json: (value) => (postgres ? `${quote(JSON.stringify(value))}::jsonb` : quote(JSON.stringify(value))),
    bool: (value) => (postgres ? String(value) : value ? '1' : '0'),
    int: (value) => String(Math.trunc(value)),
  };
}

class SqliteSeeder {
  engine = 'sqlite';
  constructor(file) {
    this.db = new BetterSqlite3(file, { fileMustExist: true });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('cache_size = -262144');
  }
  async tables() {
    return this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all().map((r) => r.name);
  }
  /** Every column with whether an INSERT must give it a value. A non-integer PRIMARY KEY is not NOT NULL in SQLite's eyes, but must be filled. */
  async columns(table) {
    return this.db.prepare(`PRAGMA table_info(${table})`).all().map((c) => ({ name: c.name, required: (c.notnull === 1 || c.pk > 0) && c.dflt_value === null, hasDefault: c.dflt_value !== null }));
  }
  async insertSeries(table, columns, expressions, from, to) {
    const sql = `WITH RECURSIVE s(n) AS (SELECT CAST(? AS INTEGER) UNION ALL SELECT n + 1 FROM s WHERE n < ?) INSERT INTO ${table} (${columns.join(', ')}) SELECT ${expressions.join(', ')} FROM s`;
    return this.db.prepare(sql).run(from, to).changes;
  }
  async run(sql, params = []) {
    return this.db.prepare(sql).run(...params).changes;
  }
  async get(sql, params = []) {
    return this.db.prepare(sql).get(...params);
  }
  async transaction(work) {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = await work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }
  /** SQLite is not analyzed: the service never runs ANALYZE, so its plans are those of production. */
  async afterSeeding() {}
  async close() {
    this.db.close();
  }
}

class PostgresSeeder {
  engine = 'postgres';
  constructor(url) {
    this.client = new pg.Client({ connectionString: url });
  }
  async connect() {
    await this.client.connect();
    return this;
  }
  async tables() {
    const { rows } = await this.client.query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
    return rows.map((r) => r.table_name);
  }
  async columns(table) {
    const { rows } = await this.client.query(
      'SELECT column_name, is_nullable, column_default FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position',
      [table],
    );
    return rows.map((c) => ({ name: c.column_name, required: c.is_nullable === 'NO' && c.column_default === null, hasDefault: c.column_default !== null }));
  }
  async insertSeries(table, columns, expressions, from, to) {
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${expressions.join(', ')} FROM generate_series($1::bigint, $2::bigint) AS s(n)`;
    return (await this.client.query(sql, [from, to])).rowCount;
  }
  async run(sql, params = []) {
    return (await this.client.query(toNumbered(sql), params)).rowCount;
  }
  async get(sql, params = []) {
    return (await this.client.query(toNumbered(sql), params)).rows[0];
  }
  async transaction(work) {
    await this.client.query('BEGIN');
    try {
      const result = await work();
      await this.client.query('COMMIT');
      return result;
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
  /** What autovacuum does soon after a bulk load in production: statistics and the visibility map. */
  async afterSeeding() {
    await this.client.query('VACUUM ANALYZE');
  }
  async close() {
    await this.client.end();
  }
}

function toNumbered(sql) {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export async function openSeeder(engine, target) {
  return engine === 'postgres' ? new PostgresSeeder(target).connect() : new SqliteSeeder(target);
}
