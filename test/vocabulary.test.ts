import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { VOCABULARY, VOCABULARY_IRI } from '../src/resources/description.js';
import { startApi, type Api } from './support/harness.js';
import { expand } from './support/jsonld.js';

const SCHEMA = 'https://schema.org/';
const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const RDFS = 'http://www.w3.org/2000/01/rdf-schema#';
const EXPANDED = 'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"';

type Node = Record<string, any>;

let api: Api;
let port: string;
beforeAll(async () => {
  api = await startApi();
  port = new URL(api.base).port;
});
afterAll(() => api.close());

const HOSTS = ['127.0.0.1', 'localhost'];
/** Each host after the other, and back: a cache that kept the first host's answer shows on the second. */
const ALTERNATING = [...HOSTS, ...HOSTS.slice().reverse()];
const through = (host: string) => ({ Host: `${host}:${port}` });

/** Every predicate and type of an expanded document, minus the server's address. */
function vocabularyOf(expanded: Node[]): string[] {
  const terms = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === '@type' && Array.isArray(child)) child.forEach((t) => terms.add(t));
      else if (!key.startsWith('@')) terms.add(key);
      if (key !== '@value') walk(child);
    }
  };
  walk(expanded);
  return [...terms].sort();
}

describe('One vocabulary whatever the host name', () => {
  it("When an organization is read in the server's expanded profile through two host names, in turn, then every answer has the same predicates, all absolute", async () => {
    const owner = await api.partner();
    const org = (await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Two Names', metadata: { crm_id: 'T-2' } })).body;
    const answers: string[][] = [];
    for (const host of ALTERNATING) {
      const res = await api.http().get(org['@id']).set(owner.auth).set(through(host)).set('Accept', EXPANDED);
      expect(res.status).toBe(200);
      const [node] = JSON.parse(res.text) as Node[];
      expect(node['@id']).toBe(`http://${host}:${port}${org['@id']}`);
      answers.push(vocabularyOf([node]));
    }
    expect(answers[0]).toContain(`${VOCABULARY}slug`);
    expect(answers[0].every((iri) => /^https?:\/\//.test(iri) && !iri.includes(`:${port}`))).toBe(true);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });

  it('When expanded input written in the vocabulary is sent through two host names, in turn, then each is accepted and stored alike', async () => {
    const owner = await api.partner();
    for (const [i, host] of ALTERNATING.entries()) {
      const slug = `expanded-through-${i}`;
      const body = [{ '@type': [`${SCHEMA}Organization`], [`${SCHEMA}name`]: [{ '@value': `Expanded ${i}` }], [`${VOCABULARY}slug`]: [{ '@value': slug }], [`${VOCABULARY}max_members`]: [{ '@value': 9 }] }];
      const res = await api.http().post('/api/organizations').set(owner.auth).set(through(host)).set('Content-Type', 'application/ld+json').send(JSON.stringify(body));
      expect({ host, status: res.status }).toEqual({ host, status: 201 });
      expect(res.body).toMatchObject({ slug, max_members: 9 });
    }
  });

  it('When a body names our context by its absolute URL on the host it is sent to, in turn, then each host reads it', async () => {
    const owner = await api.partner();
    for (const [i, host] of ALTERNATING.entries()) {
      const body = { '@context': `http://${host}:${port}/api/contexts/Organization`, '@type': 'Organization', name: `Absolute ${i}`, slug: `absolute-context-${i}` };
      const res = await api.http().post('/api/organizations').set(owner.auth).set(through(host)).set('Content-Type', 'application/ld+json').send(JSON.stringify(body));
      expect({ host, status: res.status }).toEqual({ host, status: 201 });
    }
  });

  it("When a body's inline context has a relative @vocab, then its terms resolve against the host the body is sent to, whatever host read that context before", async () => {
    const owner = await api.partner();
    const body = { '@context': { '@vocab': '/elsewhere#' }, '@type': 'https://schema.org/Organization', 'https://schema.org/name': 'Relative', slug: 'relative-vocab' };
    for (const host of ALTERNATING) {
      // Strict: by default a term the API does not know is ignored (see README, Generic clients).
      const res = await api.http().post('/api/organizations').set(owner.auth).set(through(host)).set('Prefer', 'handling=strict').set('Content-Type', 'application/ld+json').send(JSON.stringify(body));
      expect(res.status).toBe(422);
      expect(res.body.violations).toEqual([expect.objectContaining({ propertyPath: `http://${host}:${port}/elsewhere#slug`, code: 'unknown_property' })]);
    }
  });

  it('When a body still uses the old relative vocabulary, then 422 unknown_property names the terms, through either host', async () => {
    const owner = await api.partner();
    for (const host of ALTERNATING) {
      const body = [{ '@type': [`${SCHEMA}Organization`], [`${SCHEMA}name`]: [{ '@value': 'Old Terms' }], [`http://${host}:${port}/api/docs.jsonld#slug`]: [{ '@value': 'old-terms' }] }];
      // Strict: by default a term the API does not know is ignored (see README, Generic clients).
      const res = await api.http().post('/api/organizations').set(owner.auth).set(through(host)).set('Prefer', 'handling=strict').set('Content-Type', 'application/ld+json').send(JSON.stringify(body));
      expect(res.status).toBe(422);
      expect(res.body.violations).toEqual([expect.objectContaining({ code: 'unknown_property' })]);
    }
  });
});

describe('The vocabulary in the API documentation', () => {
  async function documentation(): Promise<Node> {
    const res = await api.http().get('/api/docs.jsonld');
    return (await expand(api, res.body, '/api/docs.jsonld'))[0];
  }

  it('When the documentation is read, then it is about the Linked Orgs vocabulary, an owl:Ontology it points back to', async () => {
    const docs = await documentation();
    expect(docs['@type']).toEqual([`${HYDRA}ApiDocumentation`]);
    const [vocabulary] = docs[`${SCHEMA}about`];
    expect(vocabulary['@id']).toBe(VOCABULARY_IRI);
    expect(vocabulary['@type']).toEqual(['http://www.w3.org/2002/07/owl#Ontology']);
    expect(vocabulary[`${RDFS}seeAlso`]).toEqual([{ '@id': `${api.base}/api/docs.jsonld` }]);
  });

  it("When the documentation is read, then each class and property in the vocabulary is rdfs:isDefinedBy it, and schema.org's and Hydra's are not", async () => {
    const docs = await documentation();
    const classes: Node[] = docs[`${HYDRA}supportedClass`];
    const properties: Node[] = classes.flatMap((c) => c[`${HYDRA}supportedProperty`].map((p: Node) => p[`${HYDRA}property`][0]));
    const terms = [...classes, ...properties];
    const ours = terms.filter((t) => t['@id'].startsWith(VOCABULARY));
    expect(ours.map((t) => t['@id'])).toEqual(expect.arrayContaining([`${VOCABULARY}Member`, `${VOCABULARY}slug`, `${VOCABULARY}violations`]));
    for (const term of ours) expect({ term: term['@id'], definedBy: term[`${RDFS}isDefinedBy`] }).toEqual({ term: term['@id'], definedBy: [{ '@id': VOCABULARY_IRI }] });
    for (const term of terms.filter((t) => !t['@id'].startsWith(VOCABULARY))) expect(term[`${RDFS}isDefinedBy`]).toBeUndefined();
    expect(terms.every((t) => t['@id'].startsWith(VOCABULARY) || t['@id'].startsWith(SCHEMA) || t['@id'].startsWith(HYDRA))).toBe(true);
  });

  it('When the OpenAPI document is read, then it names the vocabulary', async () => {
    const res = await api.http().get('/api/docs.json');
    expect(res.body.info.description).toContain(VOCABULARY);
  });
});
