// Express alone on PostgreSQL: a plain Express 5 route answering the organization row from a
// pg Pool like the service's, with the statement prepared (named). What the framework and the
// driver cost together, before any feature: the ceiling of the PostgreSQL service's GET one.
import express from 'express';
import { HOST, PORT } from './common.js';
import { pgPool } from './pg-common.js';

const pool = pgPool('Express + pg SELECT');

const app = express();
app.get('/health', (_req, res) => res.sendStatus(200));
app.get('/organizations/:id', async (req, res) => {
  const { rows } = await pool.query({ name: 'organization-by-id', text: 'SELECT * FROM organization WHERE id = $1', values: [req.params.id] });
  if (rows.length === 0) return res.sendStatus(404);
  res.json(rows[0]);
});
app.listen(PORT, HOST);
