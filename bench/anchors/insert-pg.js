// The PostgreSQL POST anchor: bare node:http, a pg Pool of the service's default size (10),
// one parameterized INSERT of an organization row per request, into the same database and
// table (holding the seeded rows) that the PostgreSQL service's POST scenario writes to.
import http from 'node:http';
import { HOST, PORT } from './common.js';
import { insertOrganization, pgPool } from './pg-common.js';

const pool = pgPool('bare pg insert');

http
  .createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/organizations') return res.writeHead(req.url === '/health' ? 200 : 404).end();
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      insertOrganization(pool, JSON.parse(Buffer.concat(chunks).toString()).name).then(
        (row) => {
          const body = JSON.stringify(row);
          res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
        },
        (error) => res.writeHead(500).end(String(error)),
      );
    });
  })
  .listen(PORT, HOST);
