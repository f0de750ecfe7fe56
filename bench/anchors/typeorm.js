// The typical stack: Express 5 + TypeORM findOne of the organization with its memberships
// and each membership's partner (the members the service embeds) + res.json.
import express from 'express';
import { HOST, PORT } from './common.js';
import { organizationRepository } from './typeorm-source.js';

const organizations = await organizationRepository();
const app = express();
app.get('/health', (_req, res) => res.sendStatus(200));
app.get('/organizations/:id', async (req, res) => {
  const organization = await organizations.findOne({ where: { id: req.params.id }, relations: { memberships: { partner: true } } });
  if (!organization) return res.sendStatus(404);
  res.json(organization);
});
app.listen(PORT, HOST);
