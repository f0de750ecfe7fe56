// The POST anchor: bare node:http, one organization row per request through a prepared
// better-sqlite3 INSERT, WAL mode with synchronous=FULL as the service uses by default.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import BetterSqlite3 from 'better-sqlite3';
import { HOST, PORT, SQLITE_FILE } from './common.js';

const db = new BetterSqlite3(SQLITE_FILE, { fileMustExist: true });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const insert = db.prepare(
  `INSERT INTO organization (id, name, name_key, slug, metadata, invites_enabled, members_can_invite, ip_allowlist, auto_join_domains, created_at, updated_at)
   VALUES (?, ?, ?, ?, '{}', 1, 0, '[]', '[]', ?, ?)`,
);

function create(body) {
  const { name } = JSON.parse(body);
  const at = new Date().toISOString();
  const row = { id: randomUUID(), name, slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'), created_at: at, updated_at: at };
  insert.run(row.id, name, name.toLowerCase(), row.slug, at, at);
  return row;
}

http
  .createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/organizations') return res.writeHead(req.url === '/health' ? 200 : 404).end();
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const body = JSON.stringify(create(Buffer.concat(chunks).toString()));
        res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
      } catch (error) {
        res.writeHead(500).end(String(error));
      }
    });
  })
  .listen(PORT, HOST);
