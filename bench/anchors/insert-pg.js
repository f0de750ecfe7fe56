// The PostgreSQL POST anchor: bare node:http, a pg Pool of the service's default size (10),
// one parameterized INSERT of an organization row per request, into the same database and
// table (holding the seeded rows) that the PostgreSQL service's POST scenario writes to.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import { HOST, PORT } from './common.js';

const url = process.env.BENCH_PG_URL;
if (!url) throw new Error('the bare pg insert anchor needs BENCH_PG_URL');
const pool = new pg.Pool({ connectionString: url, max: 10 });
const INSERT = `INSERT INTO organization (id, name, name_key, slug, metadata, invites_enabled, members_can_invite, ip_allowlist, auto_join_domains, created_at, updated_at)
   VALUES ($1, $2, $3, $4, '{}', TRUE, FALSE, '[]', '[]', $5, $5)`;

async function create(body) {
  const { name } = JSON.parse(body);
  const at = new Date().toISOString();
  const row = { id: randomUUID(), name, slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'), created_at: at, updated_at: at };
  await pool.query({ name: 'insert-organization', text: INSERT, values: [row.id, name, name.toLowerCase(), row.slug, at] });
  return row;
}

http
  .createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/organizations') return res.writeHead(req.url === '/health' ? 200 : 404).end();
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      create(Buffer.concat(chunks).toString()).then(
        (row) => {
          const body = JSON.stringify(row);
          res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
        },
        (error) => res.writeHead(500).end(String(error)),
      );
    });
  })
  .listen(PORT, HOST);
