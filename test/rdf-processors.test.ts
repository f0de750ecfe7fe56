import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SHACL_IN_TERMS } from '../src/generators/form-facts.js';
import { PREFIXES, VOCABULARY } from '../src/resources/description.js';
import { startApi, type Api } from './support/harness.js';
import type { Quad } from 'rdf-canonize';
import { canonical, PROCESSORS, pythonProcessorsInstalled, quadsFromEveryProcessor, relativeIris, vocabularyOf, type Contexts, type Representation } from './support/rdf-graphs.js';

/**
 * Four JSON-LD processors, two of them Debian's Python ones, read every kind of representation
 * the API sends, as a client received it through one host name and then another: they must
 * find one graph, with absolute IRIs only, in the one vocabulary whatever the host.
 */

const CONTEXT_NAMES = readdirSync(path.join(process.cwd(), 'contexts')).map((file) => path.basename(file, '.jsonld'));
const EXPANDED = 'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"';
const FLATTENED = 'application/ld+json; profile="http://www.w3.org/ns/json-ld#flattened"';
/** Every predicate and class belongs to one of these: none is minted from the server's address. */
// SHACL: what the documentation tells forms (enumerations, counts, defaults), see src/generators/form-facts.ts.
const KNOWN_NAMESPACES = [VOCABULARY, ...Object.values(PREFIXES), SHACL_IN_TERMS.sh];

/** The lines one canonical graph has and the other lacks, to say what a processor read otherwise. */
function difference(expected: string, found: string): string {
  const [a, b] = [new Set(expected.split('\n')), new Set(found.split('\n'))];
  return JSON.stringify({ missing: [...a].filter((l) => !b.has(l)), extra: [...b].filter((l) => !a.has(l)) });
}

/** A problem names the request it answers: a new one each time, by design. */
const withoutRequestIds = (quads: Quad[]) => quads.filter((q) => q.predicate.value !== `${VOCABULARY}request_id`);

let api: Api;
let port: string;
let paths: Record<string, { path: string; accept?: string; method?: 'post'; body?: object }>;
let auth: Record<string, string>;

beforeAll(async () => {
  api = await startApi();
  port = new URL(api.base).port;
  const owner = await api.partner();
  auth = owner.auth;
  const created = await api
    .http()
    .post('/api/organizations')
    .set(auth)
    .send({ name: 'Graph Comparison', metadata: { crm_id: 'G-1', region: 'eu' }, ip_allowlist: ['10.0.0.0/8', '127.0.0.0/8'], auto_join_domains: ['graph.example'], language: 'en' });
  if (created.status !== 201) throw new Error(`creating the organization: ${created.status} ${created.text}`);
  const org = created.body;
  const invitation = await api.http().post(org.invitations).set(auth).send({ email: 'invitee@graph.example', role: 'member' });
  const tool = await api.partner('Graph Tool');
  const integration = await api.http().post(org.integrations).set(auth).send({ partner: tool.email, scopes: ['organization:read'], config: { channel: 'graph' } });
  if (integration.status !== 201) throw new Error(`installing the integration: ${integration.status} ${integration.text}`);
  const audit = await api.http().get(org.audit_events).set(auth);
  const me = (await api.http().get('/api/me').set(auth)).body;
  paths = {
    entrypoint: { path: '/api' },
    documentation: { path: '/api/docs.jsonld' },
    ...Object.fromEntries(CONTEXT_NAMES.map((name) => [`context ${name}`, { path: `/api/contexts/${name}` }])),
    organization: { path: org['@id'] },
    'organization, expanded': { path: org['@id'], accept: EXPANDED },
    'organization, flattened': { path: org['@id'], accept: FLATTENED },
    'organization collection': { path: '/api/organizations' },
    'organization collection, expanded': { path: '/api/organizations', accept: EXPANDED },
    'organization collection, flattened': { path: '/api/organizations', accept: FLATTENED },
    'member collection': { path: org.all_members },
    'member collection, flattened': { path: org.all_members, accept: FLATTENED },
    member: { path: org.members[0]['@id'] },
    'member, expanded': { path: org.members[0]['@id'], accept: EXPANDED },
    invitation: { path: invitation.body['@id'] },
    'invitation collection': { path: org.invitations },
    integration: { path: integration.body['@id'] },
    'integration collection': { path: org.integrations },
    'audit event': { path: audit.body['hydra:member'][0]['@id'] },
    'audit event collection': { path: org.audit_events },
    caller: { path: '/api/me' },
    "caller's pending invitations": { path: me.invitations },
    "caller's installations": { path: me.installations },
    'joinable organization collection': { path: me.joinable_organizations },
    'problem 404': { path: '/api/organizations/00000000-0000-4000-8000-000000000000' },
    'problem 422 with violations': { path: '/api/organizations', method: 'post', body: { name: '', colour: 'red' } },
    'problem 400, expanded': { path: '/api/organizations?itemsPerPage=0', accept: EXPANDED },
  };
});
afterAll(() => api.close());

/** What a client of `http://<host>:<port>` received, contexts included. */
async function receivedThrough(host: string): Promise<{ representations: Representation[]; contexts: Contexts }> {
  const origin = `http://${host}:${port}`;
  const get = (target: string, accept = 'application/ld+json') => api.http().get(target).set(auth).set('Host', `${host}:${port}`).set('Accept', accept);
  const contexts: Contexts = new Map();
  for (const name of CONTEXT_NAMES) contexts.set(`${origin}/api/contexts/${name}`, JSON.parse((await get(`/api/contexts/${name}`)).text));
  const representations: Representation[] = [];
  for (const [name, { path: target, accept, method, body }] of Object.entries(paths)) {
    const res = method === 'post' ? await api.http().post(target).set(auth).set('Host', `${host}:${port}`).send(body!) : await get(target, accept);
    if (!name.startsWith('problem')) expect(res.status).toBe(200);
    representations.push({ name, base: origin + target, document: JSON.parse(res.text) });
  }
  return { representations, contexts };
}

describe('Every representation as RDF, by four JSON-LD processors', () => {
  it('When jsonld.js, jsonld-streaming-parser, pyld and rdflib read every representation, then each finds the same graph, with absolute IRIs in known vocabularies only', async () => {
    expect(pythonProcessorsInstalled()).toBe(true); // apt-get install python3-pyld python3-rdflib
    const { representations, contexts } = await receivedThrough('127.0.0.1');
    const results = await quadsFromEveryProcessor(representations, contexts);
    const disagreements: string[] = [];
    let quads = 0;
    for (const { name } of representations) {
      const byProcessor = results.get(name)!;
      const reference = byProcessor['jsonld.js'];
      if (reference instanceof Error) throw new Error(`jsonld.js could not read ${name}: ${reference.message}`);
      quads += reference.length;
      const expected = await canonical(reference);
      for (const processor of PROCESSORS) {
        const found = byProcessor[processor];
        if (found instanceof Error) {
          disagreements.push(`${processor} failed on ${name}: ${found.message}`);
          continue;
        }
        expect({ processor, name, relative: relativeIris(found) }).toEqual({ processor, name, relative: [] });
        const graph = await canonical(found);
        if (graph !== expected) disagreements.push(`${processor} found another graph in ${name}: ${difference(expected, graph)}`);
      }
      const foreign = vocabularyOf(reference).filter((iri) => !KNOWN_NAMESPACES.some((ns) => iri.startsWith(ns)));
      expect({ name, foreign }).toEqual({ name, foreign: [] });
    }
    expect(disagreements).toEqual([]);
    // Not an empty comparison: every kind of representation, and enough triples to mean something.
    expect(representations).toHaveLength(Object.keys(paths).length);
    expect(quads).toBeGreaterThan(500);
    // The figures issue 20 asks for: representations compared, processors agreeing on each, triples.
    console.log(`RDF processors: ${representations.length} representations, ${PROCESSORS.length} processors, ${representations.length * PROCESSORS.length - disagreements.length} of ${representations.length * PROCESSORS.length} readings agree with jsonld.js, ${quads} triples (jsonld.js)`);
  }, 180_000); // 35 representations through four processors, two of them Python processes: minutes on a loaded machine

  it('When the same representations are read through two host names, then their graphs differ only in the server address, never in the vocabulary', async () => {
    const first = await receivedThrough('127.0.0.1');
    const second = await receivedThrough('localhost');
    const [a, b] = [await quadsFromEveryProcessor(first.representations, first.contexts), await quadsFromEveryProcessor(second.representations, second.contexts)];
    for (const { name } of first.representations) {
      for (const processor of PROCESSORS) {
        const [throughA, throughB] = [a.get(name)![processor], b.get(name)![processor]];
        if (throughA instanceof Error || throughB instanceof Error) throw new Error(`${processor} could not read ${name}`);
        expect({ name, processor, vocabulary: vocabularyOf(throughB) }).toEqual({ name, processor, vocabulary: vocabularyOf(throughA) });
        const moved = withoutRequestIds(throughB).map((q) => JSON.parse(JSON.stringify(q).replaceAll(`http://localhost:${port}`, `http://127.0.0.1:${port}`)));
        expect({ name, processor, graph: await canonical(moved) }).toEqual({ name, processor, graph: await canonical(withoutRequestIds(throughA)) });
      }
    }
  }, 180_000);
});
