// Plain Express 5 with the same prepared statement.
import express from 'express';
import { HOST, PORT, organizationById } from './common.js';

const byId = organizationById();
const app = express();
app.get('/health', (_req, res) => res.sendStatus(200));
app.get('/organizations/:id', (req, res) => {
  const row = byId.get(req.params.id);
  if (!row) return res.sendStatus(404);
  res.json(row);
});
app.listen(PORT, HOST);
