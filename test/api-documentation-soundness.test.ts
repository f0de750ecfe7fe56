import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jsonld from 'jsonld';
import { PREFIXES, VOCABULARY } from '../src/resources/description.js';
import { startApi, type Api } from './support/harness.js';
import { expand } from './support/jsonld.js';

/**
 * Issue 20: what the API documentation says, read as RDF, is true of the API and sound under
 * RDFS, with API Platform 4 as the reference where Hydra leaves a choice.
 */

const { rdf: RDF, rdfs: RDFS, hydra: HYDRA, schema: SCHEMA, xsd: XSD } = PREFIXES;
const SH = 'http://www.w3.org/ns/shacl#';
type Node = Record<string, any>;
type Triple = { s: string; p: string; o: string; literal: boolean };

let api: Api;
let owner: Awaited<ReturnType<Api['partner']>>;
let docText: string;
let triples: Triple[];

/** The documentation as triples (jsonld.js, JSON-LD 1.1), IRIs resolved against where it was read. */
async function triplesOf(document: object, base: string, processingMode?: 'json-ld-1.0'): Promise<Triple[]> {
  const options = { base, format: 'application/n-quads', ...(processingMode ? { processingMode } : {}) } as unknown as jsonld.Options.ToRdf;
  const nquads = (await jsonld.toRDF(document as jsonld.JsonLdDocument, options)) as unknown as string;
  return nquads
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [, s, p, o] = /^(\S+) <([^>]+)> (.+) \.$/.exec(line)!;
      return { s: s!.replace(/^<|>$/g, ''), p: p!, o: o!.replace(/^<|>$/g, ''), literal: o!.startsWith('"') };
    });
}

const objects = (s: string, p: string) => triples.filter((t) => t.s === s && t.p === p).map((t) => t.o);
const subjectsOfType = (type: string) => triples.filter((t) => t.p === `${RDF}type` && t.o === type).map((t) => t.s);

beforeAll(async () => {
  api = await startApi();
  owner = await api.partner();
  docText = (await api.http().get('/api/docs.jsonld')).text;
  triples = await triplesOf(JSON.parse(docText), `${api.base}/api/docs.jsonld`);
});
afterAll(() => api.close());

describe('The API documentation as RDF', () => {
  it('When hydra:entrypoint is read, then it is an IRI (the entrypoint), not a string', () => {
    expect(objects(`${api.base}/api/docs.jsonld`, `${HYDRA}entrypoint`)).toEqual([`${api.base}/api`]);
    expect(triples.filter((t) => t.p === `${HYDRA}entrypoint`).every((t) => !t.literal)).toBe(true);
  });

  it('When domains and ranges are read, then they are asserted only on our own terms, and never two domains or two ranges on one property', () => {
    const asserted = triples.filter((t) => t.p === `${RDFS}domain` || t.p === `${RDFS}range`);
    expect(asserted.length).toBeGreaterThan(20);
    expect(asserted.filter((t) => !t.s.startsWith(VOCABULARY)).map((t) => `${t.s} ${t.p}`)).toEqual([]);
    const counts = new Map<string, number>();
    for (const t of asserted) counts.set(`${t.s} ${t.p}`, (counts.get(`${t.s} ${t.p}`) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
    // A shared term (ip_restricted: organizations, invitations, integrations, joinable ones) has no domain at all.
    expect(objects(`${VOCABULARY}ip_restricted`, `${RDFS}domain`)).toEqual([]);
    expect(objects(`${VOCABULARY}slug`, `${RDFS}domain`)).toEqual([`${SCHEMA}Organization`]);
  });

  it("When a class's supported property is read, then it says what the value is in that class (SHACL), whoever owns the term", () => {
    const organization = triples.filter((t) => t.s === `${SCHEMA}Organization` && t.p === `${HYDRA}supportedProperty`).map((t) => t.o);
    const created = organization.find((sp) => objects(sp, `${HYDRA}property`)[0] === `${SCHEMA}dateCreated`)!;
    expect(objects(created, `${SH}datatype`)).toEqual([`${XSD}dateTime`]);
    const members = organization.find((sp) => objects(sp, `${HYDRA}title`)[0] === '"members"')!;
    expect(objects(members, `${SH}class`)).toEqual([`${VOCABULARY}Member`]);
  });

  it('When an organization embeds its members, then it leads to them by our own term, not schema:member, which schema.org ranges over people and organizations', async () => {
    expect(triples.some((t) => t.s === `${SCHEMA}member` || t.o === `${SCHEMA}member`)).toBe(false);
    const org = (await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Members Term' })).body;
    expect(org.members).toHaveLength(1);
    const [node] = await expand(api, org, org['@id']);
    expect(node![`${SCHEMA}member`]).toBeUndefined();
    expect(node![`${VOCABULARY}members`][0][`${SCHEMA}roleName`]).toEqual([{ '@value': 'owner' }]);
    expect(objects(`${VOCABULARY}members`, `${RDFS}range`)).toEqual([`${VOCABULARY}Member`]);
  });

  it("When a problem's type and instance are described, then they are plain IRI-valued properties, not hydra:Links ranging over a datatype", async () => {
    for (const term of ['problemType', 'instance']) {
      expect(objects(`${VOCABULARY}${term}`, `${RDF}type`)).toEqual([`${RDF}Property`]);
      expect(objects(`${VOCABULARY}${term}`, `${RDFS}range`)).not.toContain(`${XSD}anyURI`);
    }
    const res = await api.http().get('/api/organizations/00000000-0000-4000-8000-000000000000').set(owner.auth);
    expect(res.status).toBe(404);
    const [problem] = await expand(api, JSON.parse(res.text), '/api/organizations/00000000-0000-4000-8000-000000000000');
    expect(problem![`${VOCABULARY}problemType`]).toEqual([{ '@id': `${api.base}/api/errors/not-found` }]);
    expect(problem![`${VOCABULARY}instance`]).toEqual([{ '@id': `${api.base}/api/organizations/00000000-0000-4000-8000-000000000000` }]);
  });

  it('When a 422 is answered, then its @type is one string, ConstraintViolationList, a subclass of hydra:Error, and its violations are the nodes the property ranges over', async () => {
    expect(objects(`${VOCABULARY}ConstraintViolationList`, `${RDFS}subClassOf`)).toEqual([`${HYDRA}Error`]);
    expect(objects(`${VOCABULARY}violations`, `${RDFS}range`)).toEqual([`${VOCABULARY}ConstraintViolation`]);
    const res = await api.http().post('/api/organizations').set(owner.auth).send({ name: '', colour: 'red' });
    expect(res.status).toBe(422);
    const body = JSON.parse(res.text);
    expect(body['@type']).toBe('ConstraintViolationList');
    const [problem] = await expand(api, body, '/api/organizations');
    expect(problem!['@type']).toEqual([`${VOCABULARY}ConstraintViolationList`]);
    const violations = problem![`${VOCABULARY}violations`] as Node[];
    expect(violations.length).toBe(body.violations.length);
    expect(violations.every((v) => !('@list' in v) && v[`${VOCABULARY}propertyPath`])).toBe(true);
  });

  it('When a property or class has a text, then rdfs:comment holds it too, beside hydra:description', () => {
    const supported = subjectsOfType(`${HYDRA}SupportedProperty`);
    const classes = subjectsOfType(`${HYDRA}Class`);
    expect(supported.length).toBeGreaterThan(50);
    for (const node of [...supported, ...classes]) {
      expect({ node, comment: objects(node, `${RDFS}comment`) }).toEqual({ node, comment: objects(node, `${HYDRA}description`) });
    }
  });

  it('When a JSON-LD 1.0 processor reads the documentation, then it does not fail and finds the graph a 1.1 processor finds', async () => {
    const base = `${api.base}/api/docs.jsonld`;
    const older = await triplesOf(JSON.parse(docText), base, 'json-ld-1.0');
    expect(older.length).toBe(triples.length);
    const sorted = (ts: Triple[]) => ts.filter((t) => !t.s.startsWith('_:') && !t.o.startsWith('_:')).map((t) => `${t.s} ${t.p} ${t.o}`).sort();
    expect(sorted(older)).toEqual(sorted(triples));
  });
});

describe('Collections say what their members are', () => {
  it('When any collection is read, then hydra:memberAssertion says each member has rdf:type the class of the items it lists', async () => {
    const org = (await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Assertions' })).body;
    const expected: [string, string][] = [
      ['/api/organizations', `${SCHEMA}Organization`],
      [org.all_members, `${VOCABULARY}Member`],
      [org.invitations, `${VOCABULARY}Invitation`],
      [org.integrations, `${VOCABULARY}Integration`],
      [org.audit_events, `${VOCABULARY}AuditEvent`],
    ];
    for (const [path, type] of expected) {
      const res = await api.http().get(path).set(owner.auth);
      expect(res.status).toBe(200);
      const [collection] = await expand(api, res.body, path);
      const [assertion] = collection![`${HYDRA}memberAssertion`] as Node[];
      expect({ path, property: assertion![`${HYDRA}property`], object: assertion![`${HYDRA}object`] }).toEqual({ path, property: [{ '@id': `${RDF}type` }], object: [{ '@id': type }] });
      for (const member of collection![`${HYDRA}member`] as Node[]) expect(member['@type']).toContain(type);
    }
  });
});
