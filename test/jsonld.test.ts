import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApi, type Api } from './support/harness.js';
import { expand } from './support/jsonld.js';
import { VOCABULARY } from '../src/resources/description.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const SCHEMA = 'https://schema.org/';
const HYDRA = 'http://www.w3.org/ns/hydra/core#';

/** Every key of every node must survive expansion as an absolute IRI: nothing dropped. */
function expectEveryKeyExpands(compacted: unknown, expanded: unknown): void {
  if (Array.isArray(compacted)) {
    const nodes = (expanded as unknown[]).flatMap((e) => ((e as Record<string, unknown>)['@list'] as unknown[]) ?? [e]);
    compacted.forEach((c, i) => expectEveryKeyExpands(c, nodes[i]));
    return;
  }
  if (typeof compacted !== 'object' || compacted === null) return;
  const node = (Array.isArray(expanded) ? expanded[0] : expanded) as Record<string, unknown>;
  const keys = Object.keys(compacted).filter((k) => k !== '@context');
  const expandedKeys = Object.keys(node);
  expect(expandedKeys).toHaveLength(keys.length);
  for (const key of expandedKeys) expect(key.startsWith('@') || /^https?:\/\//.test(key)).toBe(true);
}

describe('Responses as linked data', () => {
  it('When an organization is expanded with jsonld.js, then every key maps to its IRI and nothing is dropped', async () => {
    const partner = await api.partner();
    const created = await api
      .http()
      .post('/api/organizations')
      .set(partner.auth)
      .send({ name: 'Expanded', metadata: { crm_id: 'x' }, billing_email: 'b@e.example', language: 'en', ip_allowlist: ['10.0.0.0/8', '127.0.0.0/8'], auto_join_domains: ['e.example'] });
    const [org] = (await expand(api, created.body, created.body['@id']));

    expect(org['@id']).toBe(`${api.base}/api/organizations/${created.body.id}`);
    expect(org['@type']).toEqual([`${SCHEMA}Organization`]);
    expect(org[`${SCHEMA}name`]).toEqual([{ '@value': 'Expanded' }]);
    expect(org[`${SCHEMA}identifier`]).toEqual([{ '@value': created.body.id }]);
    expect(org[`${SCHEMA}dateCreated`]).toEqual([{ '@value': created.body.created_at, '@type': 'http://www.w3.org/2001/XMLSchema#dateTime' }]);
    expect(org[`${VOCABULARY}slug`]).toEqual([{ '@value': 'expanded' }]);
    expect(org[`${VOCABULARY}metadata`]).toEqual([{ '@value': { crm_id: 'x' }, '@type': '@json' }]);
    const [member] = org[`${VOCABULARY}members`];
    expect(member['@type']).toEqual([`${VOCABULARY}Member`]);
    expect(member[`${SCHEMA}email`]).toEqual([{ '@value': partner.email }]);
    expect(member[`${SCHEMA}roleName`]).toEqual([{ '@value': 'owner' }]);
    expect(org[`${VOCABULARY}owners`][0]['@id']).toBe(member['@id']);
    expectEveryKeyExpands(created.body, org);
    expectEveryKeyExpands(created.body.members[0], member);
  });

  it('When a collection is expanded, then its Hydra terms are Hydra IRIs', async () => {
    const partner = await api.partner();
    await api.http().post('/api/organizations').set(partner.auth).send({ name: 'In a collection' });
    const res = await api.http().get('/api/organizations?itemsPerPage=1').set(partner.auth);
    const [collection] = (await expand(api, res.body, '/api/organizations?itemsPerPage=1'));
    expect(collection['@type']).toEqual([`${HYDRA}Collection`]);
    expect(collection[`${HYDRA}totalItems`]).toEqual([{ '@value': 1 }]);
    expect(collection[`${HYDRA}member`]).toHaveLength(1);
    expect(collection[`${HYDRA}view`][0]['@type']).toEqual([`${HYDRA}PartialCollectionView`]);
    expect(collection[`${HYDRA}view`][0][`${HYDRA}first`][0]['@id']).toBe(`${api.base}/api/organizations?itemsPerPage=1&page=1`);
    expectEveryKeyExpands(res.body, collection);
  });

  it('When a 422 problem is expanded, then each violation is a node of its own with its propertyPath and message, as API Platform Admin reads them', async () => {
    const partner = await api.partner();
    const res = await api.http().post('/api/organizations').set(partner.auth).send({ name: '', billing_email: 'not an address' });
    expect(res.status).toBe(422);
    const [problem] = await expand(api, res.body, '/api/organizations');
    const vocabulary = VOCABULARY;
    const nodes = problem[`${vocabulary}violations`] as Record<string, { '@value': string }[]>[];
    expect(nodes.some((node) => '@list' in node)).toBe(false);
    const read = nodes.map((node) => [node[`${vocabulary}propertyPath`][0]['@value'], node[`${vocabulary}message`][0]['@value']]);
    expect(read.sort()).toEqual(res.body.violations.map((v: { propertyPath: string; message: string }) => [v.propertyPath, v.message]).sort());
    expect(read.map(([path]) => path).sort()).toEqual(['billing_email', 'name']);
  });

  it('When a 422 problem is expanded, then it is a ConstraintViolationList (a hydra:Error by the documentation) whose violations keep every key', async () => {
    const partner = await api.partner();
    const res = await api.http().post('/api/organizations').set(partner.auth).set('Prefer', 'handling=strict').send({ name: '', colour: 'red' });
    expect(res.status).toBe(422);
    const [problem] = (await expand(api, res.body, '/api/organizations'));
    // One type; the documentation makes it a hydra:Error (rdfs:subClassOf).
    expect(problem['@type']).toEqual([`${VOCABULARY}ConstraintViolationList`]);
    expect(problem[`${HYDRA}statusCode`]).toEqual([{ '@value': 422 }]);
    expect(problem[`${HYDRA}title`]).toEqual([{ '@value': 'Validation failed' }]);
    expectEveryKeyExpands(res.body, problem);
    const violations = problem[`${VOCABULARY}violations`];
    expect(violations).toHaveLength(2);
    expectEveryKeyExpands(res.body.violations, violations);
  });
});

describe('Members, invitations and the caller as linked data', () => {
  it('When an invitation, a members page and /api/me are expanded, then every key expands and links are IRIs', async () => {
    const owner = await api.partner();
    const created = await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Linked Invitations' });
    const org = created.body;
    const invitation = await api.http().post(org.invitations).set(owner.auth).send({ email: 'invitee@linked.example', role: 'member' });
    const [node] = await expand(api, invitation.body, invitation.body['@id']);
    expect(node['@type']).toEqual([`${VOCABULARY}Invitation`]);
    expect(node[`${VOCABULARY}organization`]).toEqual([{ '@id': `${api.base}${org['@id']}` }]);
    expect(node[`${VOCABULARY}accept`]).toEqual([{ '@id': `${api.base}${invitation.body['@id']}/accept` }]);
    const [creator] = node[`${VOCABULARY}created_by`];
    expect(creator[`${SCHEMA}email`]).toEqual([{ '@value': owner.email }]);
    expectEveryKeyExpands(invitation.body, node);
    expectEveryKeyExpands(invitation.body.created_by, creator);

    const members = await api.http().get(org.all_members).set(owner.auth);
    const [page] = await expand(api, members.body, org.all_members);
    expect(page[`${HYDRA}member`][0][`${SCHEMA}roleName`]).toEqual([{ '@value': 'owner' }]);
    expectEveryKeyExpands(members.body, page);

    const me = await api.http().get('/api/me').set(owner.auth);
    const [caller] = await expand(api, me.body, '/api/me');
    expect(caller[`${VOCABULARY}pending_invitations`]).toEqual([{ '@id': `${api.base}/api/me/invitations` }]);
    expectEveryKeyExpands(me.body, caller);
  });
});

describe('JSON-LD input, request after request', () => {
  it("When bodies @import the API's own context again and again, then each gets the same answer (never a 500), and the next ordinary JSON-LD body is read as before", async () => {
    const owner = await api.partner();
    const org = (await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Imports' })).body;
    const imported = { '@context': { '@import': '/api/contexts/Invitation' }, email: 'imported@linked.example', role: 'member' };
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const res = await api.http().post(org.invitations).set(owner.auth).set('Content-Type', 'application/ld+json').send(imported);
      answers.push(`${res.status} ${res.body.type}`);
    }
    expect(answers[0]).not.toMatch(/^5/);
    expect(new Set(answers).size).toBe(1);
    const ordinary = await api.http().post(org.invitations).set(owner.auth).set('Content-Type', 'application/ld+json').send({ '@context': '/api/contexts/Invitation', email: 'ordinary@linked.example', role: 'member' });
    expect(ordinary.status).toBe(201);
  });
});
