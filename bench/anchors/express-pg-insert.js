// Express alone for the PostgreSQL POST: a plain Express 5 route with express.json() making the
// same one-row insert as the bare pg insert anchor. What the framework, its body parser and the
// driver cost before any feature: how much of the bare insert a POST on Express can keep at all.
import express from 'express';
import { HOST, PORT } from './common.js';
import { insertOrganization, pgPool } from './pg-common.js';

const pool = pgPool('Express + pg INSERT');

const app = express();
app.use(express.json());
app.get('/health', (_req, res) => res.sendStatus(200));
app.post('/organizations', async (req, res) => {
  res.status(201).json(await insertOrganization(pool, req.body.name));
});
app.listen(PORT, HOST);
