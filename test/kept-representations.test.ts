import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { issueToken } from '../src/resources/partner/partner-use-cases.js';
import { SCOPES } from '../src/resources/partner/scopes.js';
import { startApi, type Api } from './support/harness.js';

// On SQLite a GET of one organization answers from a representation kept until the next commit
// (sendKeptRepresentation, src/http/representation.ts). What it keeps must never reach a caller
// with another view, skip a check, or outlive a change. These run on both engines: on
// PostgreSQL nothing is kept and the same answers are asserted.
let api: Api;
beforeAll(async () => {
  api = await startApi({ trustProxy: 'loopback' });
});
afterAll(() => api.close());

type Node = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const MERGE_PATCH = 'application/merge-patch+json';

async function organizationWithMember(body: Record<string, unknown> = {}) {
  const owner = await api.partner('Kept Owner');
  const created = await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Kept Co', ...body });
  expect(created.status).toBe(201);
  const member = await api.partner('Kept Member');
  expect((await api.http().post(created.body.all_members).set(owner.auth).send({ email: member.email, role: 'admin' })).status).toBe(201);
  return { org: created.body as Node, owner, member };
}

describe('A representation of one organization kept between commits', () => {
  it('When a caller who sees members and one who does not read the same organization in turn, then each gets its own view every time', async () => {
    const { org, owner, member } = await organizationWithMember();
    const { token } = await issueToken(api.db, member.email, { scopes: SCOPES.filter((s) => s !== 'member:read') });
    const narrow = bearer(token);
    for (let turn = 0; turn < 3; turn++) {
      const [full, partial] = await Promise.all([api.http().get(org['@id']).set(owner.auth), api.http().get(org['@id']).set(narrow)]);
      expect(full.status).toBe(200);
      expect(full.body.members.map((m: Node) => m.email).sort()).toEqual([owner.email, member.email].sort());
      expect(partial.status).toBe(200);
      expect(partial.body).not.toHaveProperty('members');
      expect(partial.body).not.toHaveProperty('owners');
      expect(JSON.stringify(partial.body)).not.toContain(member.email);
      expect(partial.headers.etag).not.toBe(full.headers.etag);
    }
  });

  it('When a stranger asks for an organization another caller has just read, then it is still a 404', async () => {
    const { org, owner } = await organizationWithMember();
    expect((await api.http().get(org['@id']).set(owner.auth)).status).toBe(200);
    const stranger = await api.partner('Stranger');
    expect((await api.http().get(org['@id']).set(owner.auth)).status).toBe(200);
    const refused = await api.http().get(org['@id']).set(stranger.auth);
    expect(refused.status).toBe(404);
    expect(JSON.stringify(refused.body)).not.toContain('Kept Co');
  });

  it('When a member reads from inside the ip_allowlist and then from outside it, then the second is refused although the first was kept', async () => {
    const { org, owner } = await organizationWithMember({ ip_allowlist: ['10.0.0.0/8', '127.0.0.0/8', '::1/128'] });
    const inside = await api.http().get(org['@id']).set(owner.auth).set('X-Forwarded-For', '10.1.2.3');
    expect(inside.status).toBe(200);
    const outside = await api.http().get(org['@id']).set(owner.auth).set('X-Forwarded-For', '192.0.2.7');
    expect(outside.status).toBe(403);
    expect(outside.body.type).toMatch(/ip-not-allowed$/);
  });

  it('When the organization and a role change through the API, then the next GET shows both, with a new ETag', async () => {
    const { org, owner, member } = await organizationWithMember();
    const before = await api.http().get(org['@id']).set(owner.auth);
    expect((await api.http().get(org['@id']).set(owner.auth)).headers.etag).toBe(before.headers.etag);
    const renamed = await api.http().patch(org['@id']).set(owner.auth).set('Content-Type', MERGE_PATCH).send('{"name":"Kept Renamed"}');
    expect(renamed.status).toBe(200);
    const membership = before.body.members.find((m: Node) => m.email === member.email);
    expect((await api.http().patch(membership['@id']).set(owner.auth).set('Content-Type', MERGE_PATCH).send('{"role":"billing"}')).status).toBe(200);
    const after = await api.http().get(org['@id']).set(owner.auth);
    expect(after.body.name).toBe('Kept Renamed');
    expect(after.body.members.find((m: Node) => m.email === member.email).role).toBe('billing');
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.headers.etag).not.toBe(renamed.headers.etag);
  });

  it('When the same state is asked for as JSON-LD, as plain JSON, expanded and with its ETag, then each answer is its own format of that state', async () => {
    const { org, owner } = await organizationWithMember();
    const jsonld = await api.http().get(org['@id']).set(owner.auth);
    const json = await api.http().get(org['@id']).set(owner.auth).set('Accept', 'application/json');
    const expanded = await api.http().get(org['@id']).set(owner.auth).set('Accept', 'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"');
    const again = await api.http().get(org['@id']).set(owner.auth).set('If-None-Match', jsonld.headers.etag);
    expect(jsonld.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(jsonld.body['@context']).toBeDefined();
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.body).not.toHaveProperty('@context');
    const { '@context': _context, ...node } = jsonld.body;
    expect(json.body).toEqual(node);
    expect(expanded.status).toBe(200);
    expect(Array.isArray(expanded.body)).toBe(true);
    const state = (tag: string) => tag.replace(/^"|"$/g, '').split('.')[0];
    expect(new Set([jsonld, json, expanded].map((r) => r.headers.etag)).size).toBe(3);
    expect(new Set([jsonld, json, expanded].map((r) => state(r.headers.etag))).size).toBe(1);
    expect(again.status).toBe(304);
  });
});

describe('A page of organizations kept between commits', () => {
  const page = (auth: Record<string, string>, extra: Record<string, string> = {}) => api.http().get('/api/organizations?itemsPerPage=50').set(auth).set(extra);
  const ids = (res: { body: Node }) => res.body['hydra:member'].map((o: Node) => o['@id']).sort();

  it('When two partners, and a token of one without member:read, ask for the same page in turn, then each gets its own organizations and view', async () => {
    const a = await organizationWithMember();
    const b = await organizationWithMember();
    const { token } = await issueToken(api.db, a.member.email, { scopes: SCOPES.filter((s) => s !== 'member:read') });
    for (let turn = 0; turn < 3; turn++) {
      const [ofA, ofB, narrow, full] = await Promise.all([page(a.owner.auth), page(b.owner.auth), page(bearer(token)), page(a.member.auth)]);
      expect(ids(ofA)).toEqual([a.org['@id']]);
      expect(ids(ofB)).toEqual([b.org['@id']]);
      expect(ids(narrow)).toEqual([a.org['@id']]);
      expect(narrow.body['hydra:member'][0]).not.toHaveProperty('members');
      expect(JSON.stringify(narrow.body)).not.toContain(a.owner.email);
      expect(full.body['hydra:member'][0].members.map((m: Node) => m.email).sort()).toEqual([a.owner.email, a.member.email].sort());
    }
  });

  it('When a member lists from inside and then from outside an ip_allowlist, then the second page shows that organization by its id alone', async () => {
    const { org, owner } = await organizationWithMember({ ip_allowlist: ['10.0.0.0/8', '127.0.0.0/8', '::1/128'] });
    const inside = await page(owner.auth, { 'X-Forwarded-For': '10.1.2.3' });
    expect(inside.body['hydra:member'][0].name).toBe('Kept Co');
    const outside = await page(owner.auth, { 'X-Forwarded-For': '192.0.2.7' });
    expect(outside.status).toBe(200);
    expect(outside.body['hydra:member'][0]['@id']).toBe(org['@id']);
    expect(outside.body['hydra:member'][0]).not.toHaveProperty('name');
  });

  it('When an organization is created after a page was read, then the same page asked again holds it and counts it', async () => {
    const { owner } = await organizationWithMember();
    const before = await page(owner.auth);
    expect((await page(owner.auth)).headers.etag).toBe(before.headers.etag);
    expect((await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Kept Second' })).status).toBe(201);
    const after = await page(owner.auth);
    expect(after.body['hydra:totalItems']).toBe(before.body['hydra:totalItems'] + 1);
    expect(after.body['hydra:member'].map((o: Node) => o.name)).toContain('Kept Second');
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });
});
