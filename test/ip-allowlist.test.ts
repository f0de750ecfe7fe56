import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { startApi, type Api } from './support/harness.js';

// Behind a proxy on loopback (TRUST_PROXY=loopback), as deployments are: the client address
// is the one X-Forwarded-For names, so each request can come from anywhere.
let api: Api;
let direct: Api;
beforeAll(async () => {
  api = await startApi({ trustProxy: 'loopback' });
  direct = await startApi();
});
afterAll(async () => {
  await api.close();
  await direct.close();
});

const MERGE_PATCH = 'application/merge-patch+json';
type Caller = Awaited<ReturnType<Api['partner']>>;
type Node = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const OFFICE = '203.0.113.7';
const OFFICE_V6 = '2001:db8:1::5';
const ELSEWHERE = '198.51.100.20';
const NETWORKS = ['203.0.113.0/24', '2001:db8:1::/48'];

const from = (address: string) => ({ 'X-Forwarded-For': address });
const get = (url: string, by: Caller, address: string) => api.http().get(url).set(by.auth).set(from(address));
const post = (url: string, by: Caller, address: string, body: object = {}) => api.http().post(url).set(by.auth).set(from(address)).send(body);
const patch = (url: string, by: Caller, address: string, body: object) =>
  api.http().patch(url).set(by.auth).set(from(address)).set('Content-Type', MERGE_PATCH).send(JSON.stringify(body));
const del = (url: string, by: Caller, address: string) => api.http().delete(url).set(by.auth).set(from(address));

function expectNotAllowed(res: Response, address: string): void {
  expect(res.status).toBe(403);
  expect(res.type).toBe('application/problem+json');
  expect(res.body.type).toMatch(/\/api\/errors\/ip-not-allowed$/);
  expect(res.body.detail).toContain(address);
  expect(res.body.detail).not.toContain('203.0.113.0/24');
}

/** An organization with the office networks, set from the office, its owner, and a plain member. */
async function restricted(name = 'Restricted Co', networks = NETWORKS) {
  const owner = await api.partner();
  const member = await api.partner();
  const created = await post('/api/organizations', owner, OFFICE, { name, ip_allowlist: networks });
  expect(created.status).toBe(201);
  expect((await post(created.body.all_members, owner, OFFICE, { email: member.email, role: 'member' })).status).toBe(201);
  return { org: created.body as Node, owner, member };
}

describe('An organization with an ip_allowlist', () => {
  it('When its owner acts from outside the networks, then every operation on it and under it is 403 ip-not-allowed naming the address, and nothing changes', async () => {
    const { org, owner, member } = await restricted();
    const invitation = (await post(org.invitations, owner, OFFICE, { email: 'invited@example.com', role: 'member' })).body;
    const memberNode = org.members[0];
    const attempts = [
      get(org['@id'], owner, ELSEWHERE),
      patch(org['@id'], owner, ELSEWHERE, { name: 'Renamed' }),
      del(org['@id'], owner, ELSEWHERE),
      get(org.all_members, owner, ELSEWHERE),
      get(memberNode['@id'], owner, ELSEWHERE),
      post(org.all_members, owner, ELSEWHERE, { email: (await api.partner()).email, role: 'member' }),
      get(org.invitations, owner, ELSEWHERE),
      post(org.invitations, owner, ELSEWHERE, { email: 'other@example.com', role: 'member' }),
      post(invitation.revoke, owner, ELSEWHERE),
      get(org.integrations, owner, ELSEWHERE),
      get(org.audit_events, owner, ELSEWHERE),
    ];
    for (const res of await Promise.all(attempts)) expectNotAllowed(res, ELSEWHERE);
    // Leaving acts on the organization too.
    const own = (await get(org.all_members, member, OFFICE)).body['hydra:member'].find((m: Node) => m.email === member.email);
    expectNotAllowed(await del(own['@id'], member, ELSEWHERE), ELSEWHERE);

    const inside = await get(org['@id'], owner, OFFICE);
    expect(inside.status).toBe(200);
    expect(inside.body).toMatchObject({ name: 'Restricted Co', member_count: 2 });
    expect((await get(invitation['@id'], owner, OFFICE)).body.status).toBe('pending');
  });

  it('When addresses are IPv4, IPv6 or IPv4-mapped IPv6, then each is judged by its network, not by its spelling', async () => {
    const { org, owner } = await restricted('Families Co', ['203.0.113.0/24', '2001:db8:1::/48', '::ffff:192.0.2.0/120']);
    const status = async (address: string) => (await get(org['@id'], owner, address)).status;
    expect(await status(OFFICE)).toBe(200);
    expect(await status(`::ffff:${OFFICE}`)).toBe(200);
    expect(await status(OFFICE_V6)).toBe(200);
    expect(await status('2001:DB8:1:0:0:0:0:ff')).toBe(200);
    expect(await status('192.0.2.200')).toBe(200); // IPv4 inside an IPv4-mapped network
    expect(await status('203.0.114.7')).toBe(403);
    expect(await status('2001:db8:2::5')).toBe(403);
    expect(await status('::203.0.113.7')).toBe(403); // IPv4-compatible, not mapped: another address
    expect(await status('2030:113::7')).toBe(403); // shares digits, not the network
  });

  it('When a stranger asks from outside the networks, then still 404: the list does not reveal the organization', async () => {
    const { org } = await restricted();
    const stranger = await api.partner();
    const res = await get(org['@id'], stranger, ELSEWHERE);
    expect(res.status).toBe(404);
    expect(res.body.type).toMatch(/\/api\/errors\/not-found$/);
  });

  it('When TRUST_PROXY is off, then X-Forwarded-For is not believed: the socket address is the client address', async () => {
    const owner = await direct.partner();
    const org = (await direct.http().post('/api/organizations').set(owner.auth).send({ name: 'Loopback Co', ip_allowlist: ['127.0.0.0/8', '::1/128'] })).body;
    expect((await direct.http().get(org['@id']).set(owner.auth).set(from(ELSEWHERE))).status).toBe(200);
    const refused = await direct.http().patch(org['@id']).set(owner.auth).set(from(OFFICE)).set('Content-Type', MERGE_PATCH).send(JSON.stringify({ ip_allowlist: NETWORKS }));
    expect(refused.status).toBe(422);
    expect(refused.body.violations[0].payload).toEqual({ address: '127.0.0.1' });
  });
});

describe('Lockout', () => {
  it('When an owner sets a list that leaves out its own address, then 422 with a violation and a hint, and the list stays as it was', async () => {
    const { org, owner } = await restricted();
    const res = await patch(org['@id'], owner, OFFICE, { ip_allowlist: ['10.0.0.0/8'] });
    expect(res.status).toBe(422);
    expect(res.body.violations).toEqual([
      expect.objectContaining({ propertyPath: 'ip_allowlist', code: 'excludes_own_address', hint: expect.stringContaining(`${OFFICE}/32`), payload: { address: OFFICE } }),
    ]);
    expect((await get(org['@id'], owner, OFFICE)).body.ip_allowlist).toEqual(NETWORKS);
    const v6 = await patch(org['@id'], owner, OFFICE_V6, { ip_allowlist: ['203.0.113.0/24'] });
    expect(v6.status).toBe(422);
    expect(v6.body.violations[0].hint).toContain(`${OFFICE_V6}/128`);
  });

  it('When an organization is created with a list that leaves out the creator, then 422 and nothing is created', async () => {
    const owner = await api.partner();
    const res = await post('/api/organizations', owner, `::ffff:${ELSEWHERE}`, { name: 'Never Reachable', ip_allowlist: NETWORKS });
    expect(res.status).toBe(422);
    expect(res.body.violations[0]).toMatchObject({ propertyPath: 'ip_allowlist', payload: { address: ELSEWHERE } });
    expect((await get('/api/organizations', owner, ELSEWHERE)).body['hydra:totalItems']).toBe(0);
  });

  it('When the list is changed to one holding the caller, or emptied, from inside, then it applies from the next request', async () => {
    const { org, owner } = await restricted();
    expect((await get(org['@id'], owner, ELSEWHERE)).status).toBe(403);
    expect((await patch(org['@id'], owner, OFFICE, { ip_allowlist: [`${ELSEWHERE}/32`, '203.0.113.0/24'] })).status).toBe(200);
    expect((await get(org['@id'], owner, ELSEWHERE)).status).toBe(200);
    expect((await get(org['@id'], owner, '192.0.2.99')).status).toBe(403);
    expect((await patch(org['@id'], owner, ELSEWHERE, { ip_allowlist: null })).body.ip_allowlist).toEqual([]);
    expect((await get(org['@id'], owner, '192.0.2.99')).status).toBe(200);
  });
});

describe('Lists seen from outside the networks', () => {
  it('When the organizations are listed from outside, then the restricted one shows only its id, still counted, and from inside all of it', async () => {
    const { org, owner } = await restricted('Secret Name');
    expect((await post('/api/organizations', owner, ELSEWHERE, { name: 'Open Co' })).status).toBe(201);
    const outside = await get('/api/organizations', owner, ELSEWHERE);
    expect(outside.body['hydra:totalItems']).toBe(2);
    const [stub, open] = outside.body['hydra:member'];
    expect(stub).toEqual({ '@id': org['@id'], '@type': 'Organization', id: org.id, ip_restricted: true });
    expect(open).toMatchObject({ name: 'Open Co', members: [expect.objectContaining({ email: owner.email })] });
    expect(JSON.stringify(outside.body)).not.toContain('Secret Name');
    const inside = await get('/api/organizations', owner, OFFICE);
    expect(inside.body['hydra:member'][0]).toMatchObject({ name: 'Secret Name', member_count: 2 });
    expect(inside.body['hydra:member'][0]).not.toHaveProperty('ip_restricted');
  });

  it('When the list is searched by name or sorted by name from outside, then a name it may not read neither matches nor places the organization', async () => {
    const { owner } = await restricted('Alpha Secret');
    await post('/api/organizations', owner, ELSEWHERE, { name: 'Beta Open' });
    await post('/api/organizations', owner, ELSEWHERE, { name: 'Zeta Open' });
    const names = (res: Response) => res.body['hydra:member'].map((o: Node) => o.name ?? (o.ip_restricted ? 'restricted' : '?'));
    const searched = await get('/api/organizations?name=secret', owner, ELSEWHERE);
    expect(searched.body['hydra:totalItems']).toBe(0);
    expect((await get('/api/organizations?name=secret', owner, OFFICE)).body['hydra:totalItems']).toBe(1);
    expect(names(await get('/api/organizations?order[name]=asc', owner, ELSEWHERE))).toEqual(['Beta Open', 'Zeta Open', 'restricted']);
    expect(names(await get('/api/organizations?order[name]=desc', owner, ELSEWHERE))).toEqual(['Zeta Open', 'Beta Open', 'restricted']);
    expect(names(await get('/api/organizations?name=open', owner, ELSEWHERE))).toEqual(['Beta Open', 'Zeta Open']);
  });

  it("When an invitee lists and reads its invitations from outside the organization's networks, then only their ids, and accepting is 403", async () => {
    const { org, owner } = await restricted('Inviting Secret');
    const invitee = await api.partner();
    const invitation = (await post(org.invitations, owner, OFFICE, { email: invitee.email, role: 'admin' })).body;
    const outside = await get('/api/me/invitations', invitee, ELSEWHERE);
    expect(outside.body['hydra:totalItems']).toBe(1);
    expect(outside.body['hydra:member'][0]).toEqual({ '@id': invitation['@id'], '@type': 'Invitation', id: invitation.id, organization: org['@id'], ip_restricted: true });
    expectNotAllowed(await get(invitation['@id'], invitee, ELSEWHERE), ELSEWHERE);
    expectNotAllowed(await post(invitation.accept, invitee, ELSEWHERE), ELSEWHERE);
    expect((await get(invitation['@id'], owner, OFFICE)).body.status).toBe('pending');
    expect((await get('/api/me/invitations', invitee, OFFICE)).body['hydra:member'][0]).toMatchObject({ organization_name: 'Inviting Secret', role: 'admin' });
    expect((await post(invitation.accept, invitee, OFFICE)).status).toBe(200);
  });

  it('When an integration lists its installations or acts from outside the networks, then only their ids, and its requests are 403', async () => {
    const { org, owner } = await restricted();
    const crm = await api.partner();
    const installed = (await post(org.integrations, owner, OFFICE, { partner: crm.email, scopes: ['organization:read', 'member:read'], config: { secret_place: 'eu' } })).body;
    const outside = await get('/api/me/installations', crm, ELSEWHERE);
    expect(outside.body['hydra:member']).toEqual([{ '@id': installed['@id'], '@type': 'Integration', id: installed.id, organization: org['@id'], ip_restricted: true }]);
    expectNotAllowed(await get(installed['@id'], crm, ELSEWHERE), ELSEWHERE);
    expectNotAllowed(await get(org['@id'], crm, ELSEWHERE), ELSEWHERE);
    expect((await get('/api/me/installations', crm, OFFICE)).body['hydra:member'][0].config).toEqual({ secret_place: 'eu' });
    expect((await get(org['@id'], crm, OFFICE)).status).toBe(200);
  });
});
