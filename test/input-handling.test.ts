import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { resourceNamed } from '../src/generators/resource-world.js';
import { writableProperties } from '../src/resources/description.js';
import { startApi, type Api } from './support/harness.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

type Caller = Awaited<ReturnType<Api['partner']>>;
type Node = Record<string, any>;
const MERGE_PATCH = 'application/merge-patch+json';
const STRICT = { Prefer: 'handling=strict' };

async function organization(owner: Caller, body: object = {}): Promise<Node> {
  const res = await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Handled Co', ...body });
  expect(res.status).toBe(201);
  return res.body;
}

const patch = (url: string, by: Caller, body: object, headers: Record<string, string> = {}) =>
  api.http().patch(url).set(by.auth).set(headers).set('Content-Type', MERGE_PATCH).send(JSON.stringify(body));

const read = async (url: string, by: Caller): Promise<Node> => (await api.http().get(url).set(by.auth)).body;

/** What API Platform Admin's edit sends: the whole record it read, one field changed, and its own originId. */
function editedAsAdminDoes(record: Node, changes: object): Node {
  return { ...record, originId: record['@id'], ...changes };
}

/** An organization's state without what a write changes by design. */
function settings(org: Node): Node {
  const { updated_at: _updated, ...rest } = org;
  return rest;
}

describe('Writes carrying properties the client may not write', () => {
  it('When an organization read is sent back whole as a merge patch with one change (API Platform Admin\'s edit), then 200 and only that change is made', async () => {
    const owner = await api.partner();
    const org = await organization(owner, { metadata: { crm: 'A-1' } });
    const record = await read(org['@id'], owner);
    const res = await patch(org['@id'], owner, editedAsAdminDoes(record, { name: 'Renamed Co' }));
    expect(res.status).toBe(200);
    expect(res.headers['preference-applied']).toBeUndefined();
    expect(settings(await read(org['@id'], owner))).toEqual(settings({ ...record, name: 'Renamed Co' }));
    const trail = await api.http().get(`${org.audit_events}?action=organization.updated`).set(owner.auth);
    expect(trail.body['hydra:member'].map((event: Node) => Object.keys(event.after))).toEqual([['name']]);
  });

  it('When the same whole record is sent with Prefer: handling=strict, then 422 naming every property it may not write, and nothing changes', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const record = await read(org['@id'], owner);
    const res = await patch(org['@id'], owner, editedAsAdminDoes(record, { name: 'Not Renamed' }), STRICT);
    expect(res.status).toBe(422);
    expect(res.headers['preference-applied']).toBe('handling=strict');
    const refused = res.body.violations.map((v: Node) => [v.propertyPath, v.code]);
    // Every property of the record an update may not write, by the description, and Admin's own originId.
    const writable = writableProperties(resourceNamed('Organization'), 'update');
    const readOnly = [...Object.keys(record).filter((key) => !key.startsWith('@') && !writable.includes(key)), 'originId'];
    expect(readOnly).toEqual(expect.arrayContaining(['id', 'is_personal', 'member_count', 'owners', 'members', 'all_members', 'created_at']));
    expect(refused.sort()).toEqual(readOnly.map((key) => [key, 'unknown_property']).sort());
    expect(await read(org['@id'], owner)).toEqual(record);
  });

  it('When a create carries read-only and unknown properties, then they are ignored by default (the id is the server\'s) and refused when strict', async () => {
    const owner = await api.partner();
    const sent = { name: 'Created Co', id: '00000000-0000-4000-8000-000000000001', member_count: 40, created_at: '2000-01-01T00:00:00.000Z', colour: 'red' };
    const created = await api.http().post('/api/organizations').set(owner.auth).send(sent);
    expect(created.status).toBe(201);
    expect(created.body.id).not.toBe(sent.id);
    expect(created.body).toMatchObject({ name: 'Created Co', member_count: 1 });
    expect(created.body.created_at).not.toBe(sent.created_at);
    expect(created.body).not.toHaveProperty('colour');
    const before = (await read('/api/organizations', owner))['hydra:totalItems'];
    const strict = await api.http().post('/api/organizations').set(owner.auth).set(STRICT).send({ ...sent, name: 'Strict Co' });
    expect(strict.status).toBe(422);
    expect(strict.body.violations.map((v: Node) => v.propertyPath).sort()).toEqual(['colour', 'created_at', 'id', 'member_count']);
    expect((await read('/api/organizations', owner))['hydra:totalItems']).toBe(before);
  });

  it('When ignored properties come with an invalid writable value, then 422 names only that value, and nothing changes', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const record = await read(org['@id'], owner);
    const res = await patch(org['@id'], owner, editedAsAdminDoes(record, { slug: 'Not A Slug', name: 'Changed' }));
    expect(res.status).toBe(422);
    expect(res.body.violations.map((v: Node) => v.propertyPath)).toEqual(['slug']);
    expect(await read(org['@id'], owner)).toEqual(record);
  });

  it('When a body names another @type or another @context, then it is still refused: those say what the body means, they are not properties', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const typed = await patch(org['@id'], owner, { '@type': 'Member', name: 'Typed' });
    expect(typed.status).toBe(422);
    expect(typed.body.violations.map((v: Node) => v.code)).toEqual(['invalid_type']);
    const foreign = await patch(org['@id'], owner, { '@context': 'https://example.com/context', name: 'Foreign' });
    expect(foreign.status).toBe(422);
    expect(foreign.body.violations.map((v: Node) => v.code)).toEqual(['unsupported_context']);
  });
});

describe('The same rule on every POST and PATCH', () => {
  it('When members, invitations and integrations are created and changed with properties the client may not write, then those are ignored, or refused when strict', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const [colleague, crm] = [await api.partner(), await api.partner('CRM')];
    const writes: [string, string, object][] = [
      ['POST', org.all_members, { email: colleague.email, role: 'member', joined_at: '2000-01-01T00:00:00.000Z' }],
      ['POST', org.invitations, { email: 'invitee@handling.example', role: 'member', status: 'accepted' }],
      ['POST', org.integrations, { partner: crm.email, scopes: ['organization:read'], installed_at: '2000-01-01T00:00:00.000Z' }],
    ];
    for (const [, url, body] of writes) {
      const strict = await api.http().post(url).set(owner.auth).set(STRICT).send({ ...body, unknown: 1 });
      expect({ url, status: strict.status, applied: strict.headers['preference-applied'] }).toEqual({ url, status: 422, applied: 'handling=strict' });
      const lenient = await api.http().post(url).set(owner.auth).send({ ...body, unknown: 1 });
      expect({ url, status: lenient.status }).toEqual({ url, status: 201 });
      expect(lenient.body).not.toHaveProperty('unknown');
    }
    const member = (await read(org.all_members, owner))['hydra:member'].find((m: Node) => m.email === colleague.email);
    const integration = (await read(org.integrations, owner))['hydra:member'][0];
    for (const [url, record, change] of [[member['@id'], member, { role: 'admin' }], [integration['@id'], integration, { scopes: ['organization:read', 'member:read'] }]] as [string, Node, Node][]) {
      const strict = await patch(url, owner, { ...record, ...change }, STRICT);
      expect({ url, status: strict.status }).toEqual({ url, status: 422 });
      const lenient = await patch(url, owner, { ...record, ...change });
      expect({ url, status: lenient.status }).toEqual({ url, status: 200 });
      expect(lenient.body).toMatchObject(change);
    }
  });
});

describe('Prefer: handling (RFC 7240)', () => {
  it.each([
    ['handling=strict', 422, 'handling=strict'],
    ['handling=lenient', 201, 'handling=lenient'],
    ['return=minimal, handling=strict', 422, 'handling=strict'],
    ['Handling=STRICT', 422, 'handling=strict'],
    ['handling="strict"; x=1', 422, 'handling=strict'],
    ['handling=lenient, handling=strict', 201, 'handling=lenient'],
    ['handling=bogus', 201, undefined],
    ['respond-async', 201, undefined],
    ['', 201, undefined],
  ])('When Prefer is %j, then a body with an unknown property is answered %i with Preference-Applied %s', async (prefer, status, applied) => {
    const owner = await api.partner();
    const res = await api.http().post('/api/organizations').set(owner.auth).set('Prefer', prefer).send({ name: 'Preferred', unknown: true });
    expect(res.status).toBe(status);
    expect(res.headers['preference-applied']).toBe(applied);
  });

  it('When Prefer is sent as two header lines, then only the first handling counts', async () => {
    const owner = await api.partner();
    const res = await fetch(`${api.base}/api/organizations`, {
      method: 'POST',
      headers: [['Authorization', owner.auth.Authorization], ['Content-Type', 'application/json'], ['Prefer', 'handling=strict'], ['Prefer', 'handling=lenient']],
      body: JSON.stringify({ name: 'Two Lines', unknown: true }),
    });
    expect(res.status).toBe(422);
    expect(res.headers.get('preference-applied')).toBe('handling=strict');
  });
});
