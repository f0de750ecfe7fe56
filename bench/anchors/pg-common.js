// What the PostgreSQL anchors share: a pool like the service's, and the one-row insert the two
// POST anchors make, into the PostgreSQL service's own database and table.
import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** A pg Pool of the service's default size (10) on BENCH_PG_URL. */
export function pgPool(anchor) {
  const url = process.env.BENCH_PG_URL;
  if (!url) throw new Error(`the ${anchor} anchor needs BENCH_PG_URL`);
  return new pg.Pool({ connectionString: url, max: 10 });
}

const INSERT = `INSERT INTO organization (id, name, name_key, slug, metadata, invites_enabled, members_can_invite, ip_allowlist, auto_join_domains, created_at, updated_at)
   VALUES ($1, $2, $3, $4, '{}', TRUE, FALSE, '[]', '[]', $5, $5)`;

/** One organization row, with a parameterized, named (prepared) INSERT; the row as inserted. */
export async function insertOrganization(pool, name) {
  const at = new Date().toISOString();
  const row = { id: randomUUID(), name, slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'), created_at: at, updated_at: at };
  await pool.query({ name: 'insert-organization', text: INSERT, values: [row.id, name, name.toLowerCase(), row.slug, at] });
  return row;
}
