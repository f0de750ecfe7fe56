// The limit: bare node:http, one prepared better-sqlite3 SELECT by id, JSON.stringify.
import http from 'node:http';
import { HOST, ITEM_PREFIX, PORT, organizationById } from './common.js';

const byId = organizationById();

http
  .createServer((req, res) => {
    if (req.url.startsWith(ITEM_PREFIX)) {
      const row = byId.get(req.url.slice(ITEM_PREFIX.length));
      if (!row) return res.writeHead(404).end();
      const body = JSON.stringify(row);
      return res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    }
    res.writeHead(req.url === '/health' ? 200 : 404).end();
  })
  .listen(PORT, HOST);
