// The naive JSON-LD server: the typical stack, plus jsonld.compact of every response
// against the Organization context (served from memory by the document loader).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import jsonld from 'jsonld';
import { ROOT } from '../paths.js';
import { HOST, PORT } from './common.js';
import { organizationRepository } from './typeorm-source.js';

const CONTEXT_URL = `http://127.0.0.1:${PORT}/api/contexts/Organization`;
const context = JSON.parse(readFileSync(path.join(ROOT, 'contexts/Organization.jsonld'), 'utf8'));
const documentLoader = async (url) => {
  if (url === CONTEXT_URL) return { contextUrl: null, documentUrl: url, document: context };
  throw new Error(`remote contexts are not fetched: ${url}`);
};

const organizations = await organizationRepository();
const app = express();
app.get('/health', (_req, res) => res.sendStatus(200));
app.get('/organizations/:id', async (req, res) => {
  const organization = await organizations.findOne({ where: { id: req.params.id } });
  if (!organization) return res.sendStatus(404);
  const id = `/api/organizations/${organization.id}`;
  const document = { '@context': CONTEXT_URL, '@id': id, '@type': 'Organization', ...organization };
  res.json(await jsonld.compact(document, CONTEXT_URL, { documentLoader, base: `http://127.0.0.1:${PORT}${id}` }));
});
app.listen(PORT, HOST);
