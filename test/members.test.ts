import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApi, type Api } from './support/harness.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const MERGE_PATCH = 'application/merge-patch+json';
type Caller = Awaited<ReturnType<Api['partner']>>;

async function organization(owner: Caller, body: object = {}) {
  const res = await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Members Co', ...body });
  expect(res.status).toBe(201);
  return res.body;
}

async function add(org: { '@id': string }, by: Caller, who: Caller, role = 'member') {
  const res = await api.http().post(`${org['@id']}/members`).set(by.auth).send({ email: who.email, role });
  expect(res.status).toBe(201);
  return res.body;
}

const patchRole = (url: string, by: Caller, role: string) => api.http().patch(url).set(by.auth).set('Content-Type', MERGE_PATCH).send(JSON.stringify({ role }));

describe('The members collection', () => {
  it('When a member lists the members, then a hydra:Collection of Member nodes in the order they joined', async () => {
    const owner = await api.partner('Owner One');
    const other = await api.partner('Second Member');
    const org = await organization(owner);
    await add(org, owner, other, 'billing');
    const res = await api.http().get(org.all_members).set(other.auth);
    expect(res.status).toBe(200);
    expect(res.body['@context']).toBe('/api/contexts/Member');
    expect(res.body['@id']).toBe(`${org['@id']}/members`);
    expect(res.body['@type']).toBe('hydra:Collection');
    expect(res.body['hydra:totalItems']).toBe(2);
    const [first, second] = res.body['hydra:member'];
    expect(first).toMatchObject({ '@type': 'Member', email: owner.email, name: 'Owner One', role: 'owner' });
    expect(second).toMatchObject({ email: other.email, role: 'billing' });
    expect(Object.keys(second).sort()).toEqual(['@id', '@type', 'email', 'id', 'joined_at', 'name', 'role']);
  });

  it('When members are filtered by role and paged, then only that role, with totals and page links', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    for (let i = 0; i < 3; i++) await add(org, owner, await api.partner(), 'admin');
    const res = await api.http().get(`${org.all_members}?role=admin&itemsPerPage=2`).set(owner.auth);
    expect(res.body['hydra:totalItems']).toBe(3);
    expect(res.body['hydra:member']).toHaveLength(2);
    expect(res.body['hydra:member'].every((m: { role: string }) => m.role === 'admin')).toBe(true);
    const next = await api.http().get(res.body['hydra:view']['hydra:next']).set(owner.auth);
    expect(next.body['hydra:member']).toHaveLength(1);
  });

  it('When the role filter is not a role, then 400 naming it', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const res = await api.http().get(`${org.all_members}?role=king`).set(owner.auth);
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain('"role"');
  });

  it('When a member is read at its @id, then the same member as embedded in the organization', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const res = await api.http().get(org.owners[0]['@id']).set(owner.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ '@context': '/api/contexts/Member', ...org.owners[0] });
  });

  it('When the member id is unknown or not a UUID, then 404', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    expect((await api.http().get(`${org.all_members}/00000000-0000-4000-8000-000000000000`).set(owner.auth)).status).toBe(404);
    expect((await api.http().get(`${org.all_members}/nope`).set(owner.auth)).status).toBe(404);
  });
});

describe('Adding a partner directly', () => {
  it('When the owner adds an existing partner by email in another case, then 201 with Location, and the partner sees the organization', async () => {
    const owner = await api.partner();
    const added = await api.partner();
    const org = await organization(owner);
    const res = await api.http().post(org.all_members).set(owner.auth).send({ email: `  ${added.email.toUpperCase()} `, role: 'admin' });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(api.base + res.body['@id']);
    expect(res.body).toMatchObject({ '@type': 'Member', email: added.email, role: 'admin' });
    const mine = await api.http().get('/api/organizations').set(added.auth);
    expect(mine.body['hydra:member'].map((o: { id: string }) => o.id)).toContain(org.id);
    expect((await api.http().get(org['@id']).set(owner.auth)).body.member_count).toBe(2);
  });

  it('When the email belongs to no partner, then 422 on email and nobody is added', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const res = await api.http().post(org.all_members).set(owner.auth).send({ email: 'nobody@nowhere.example', role: 'member' });
    expect(res.status).toBe(422);
    expect(res.body.violations).toEqual([expect.objectContaining({ propertyPath: 'email', code: 'unknown_partner' })]);
    expect((await api.http().get(org['@id']).set(owner.auth)).body.member_count).toBe(1);
  });

  it('When the email and role are invalid, then 422 with both violations', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const res = await api.http().post(org.all_members).set(owner.auth).send({ email: 'not-an-email', role: 'king' });
    expect(res.status).toBe(422);
    expect(res.body.violations.map((v: { propertyPath: string }) => v.propertyPath).sort()).toEqual(['email', 'role']);
  });

  it('When the partner is already a member, then 409', async () => {
    const owner = await api.partner();
    const added = await api.partner();
    const org = await organization(owner);
    await add(org, owner, added);
    const res = await api.http().post(org.all_members).set(owner.auth).send({ email: added.email, role: 'member' });
    expect(res.status).toBe(409);
    expect(res.body.type).toMatch(/\/api\/errors\/already-member$/);
  });
});

describe('Roles and the last owner', () => {
  it('When an owner makes another member owner and then leaves, then ownership has moved', async () => {
    const first = await api.partner();
    const second = await api.partner();
    const org = await organization(first);
    const member = await add(org, first, second, 'admin');
    const promoted = await patchRole(member['@id'], first, 'owner');
    expect(promoted.status).toBe(200);
    expect(promoted.body.role).toBe('owner');
    expect((await api.http().delete(org.owners[0]['@id']).set(first.auth)).status).toBe(204);
    const after = await api.http().get(org['@id']).set(second.auth);
    expect(after.body.owners.map((o: { email: string }) => o.email)).toEqual([second.email]);
    expect((await api.http().get(org['@id']).set(first.auth)).status).toBe(404);
  });

  it('When the last owner tries to leave, then 409 and it stays owner', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const res = await api.http().delete(org.owners[0]['@id']).set(owner.auth);
    expect(res.status).toBe(409);
    expect(res.body.type).toMatch(/\/api\/errors\/last-owner$/);
    expect((await api.http().get(org['@id']).set(owner.auth)).body.owners).toHaveLength(1);
  });

  it('When two owners demote each other at the same moment, then exactly one owner remains', async () => {
    for (let round = 0; round < 5; round++) {
      const a = await api.partner();
      const b = await api.partner();
      const org = await organization(a);
      const bMember = await add(org, a, b, 'owner');
      const aMember = org.owners[0];
      const results = await Promise.all([patchRole(bMember['@id'], a, 'admin'), patchRole(aMember['@id'], b, 'admin')]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 403]);
      const after = await api.http().get(org.all_members).set(a.auth);
      expect(after.body['hydra:member'].filter((m: { role: string }) => m.role === 'owner')).toHaveLength(1);
    }
  });

  it('When two owners leave at the same moment, then one succeeds and the other is the last owner', async () => {
    for (let round = 0; round < 5; round++) {
      const a = await api.partner();
      const b = await api.partner();
      const org = await organization(a);
      const bMember = await add(org, a, b, 'owner');
      const results = await Promise.all([api.http().delete(org.owners[0]['@id']).set(a.auth), api.http().delete(bMember['@id']).set(b.auth)]);
      expect(results.map((r) => r.status).sort()).toEqual([204, 409]);
      const survivor = results[0].status === 204 ? b : a;
      const after = await api.http().get(org['@id']).set(survivor.auth);
      expect(after.body.owners).toHaveLength(1);
      expect(after.body.member_count).toBe(1);
    }
  });
});

describe('Limits: max_members and personal organizations', () => {
  it('When members plus pending invitations reach max_members, then one more is 409 "full"', async () => {
    const owner = await api.partner();
    const org = await organization(owner, { max_members: 3 });
    await add(org, owner, await api.partner());
    const invited = await api.http().post(org.invitations).set(owner.auth).send({ email: 'pending@full.example', role: 'member' });
    expect(invited.status).toBe(201);
    const added = await api.http().post(org.all_members).set(owner.auth).send({ email: (await api.partner()).email, role: 'member' });
    expect(added.status).toBe(409);
    expect(added.body.type).toMatch(/\/api\/errors\/organization-full$/);
    const again = await api.http().post(org.invitations).set(owner.auth).send({ email: 'another@full.example', role: 'member' });
    expect(again.status).toBe(409);
    expect((await api.http().get(org['@id']).set(owner.auth)).body.member_count).toBe(2);
  });

  it('When max_members is 0, then there is no limit', async () => {
    const owner = await api.partner();
    const org = await organization(owner, { max_members: 0 });
    for (let i = 0; i < 3; i++) await add(org, owner, await api.partner());
    expect((await api.http().get(org['@id']).set(owner.auth)).body.member_count).toBe(4);
  });

  it('When an organization is personal, then nobody can be added or invited, and a second one is 409', async () => {
    const owner = await api.partner();
    const org = await organization(owner, { is_personal: true });
    expect(org.is_personal).toBe(true);
    const added = await api.http().post(org.all_members).set(owner.auth).send({ email: (await api.partner()).email, role: 'member' });
    expect(added.status).toBe(409);
    expect(added.body.type).toMatch(/\/api\/errors\/personal-organization$/);
    const invited = await api.http().post(org.invitations).set(owner.auth).send({ email: 'friend@personal.example', role: 'member' });
    expect(invited.status).toBe(409);
    const second = await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Second Personal', is_personal: true });
    expect(second.status).toBe(409);
    expect(second.body.type).toMatch(/\/api\/errors\/personal-organization-exists$/);
    expect((await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Not Personal' })).status).toBe(201);
  });

  it('When a merge patch tries to change is_personal, then it is ignored (200, unchanged), or with Prefer: handling=strict refused with 422', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const ignored = await api.http().patch(org['@id']).set(owner.auth).set('Content-Type', MERGE_PATCH).send('{"is_personal": true}');
    expect(ignored.status).toBe(200);
    expect(ignored.body.is_personal).toBe(false);
    const res = await api.http().patch(org['@id']).set(owner.auth).set('Prefer', 'handling=strict').set('Content-Type', MERGE_PATCH).send('{"is_personal": true}');
    expect(res.status).toBe(422);
    expect(res.body.violations[0]).toMatchObject({ propertyPath: 'is_personal', code: 'unknown_property' });
    expect((await api.http().get(org['@id']).set(owner.auth)).body.is_personal).toBe(false);
  });
});

describe('Members embedded in the organization', () => {
  it('When an organization has more members than the cap, then 100 are embedded, owners first, with the count and a link to all', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const partners = await Promise.all(Array.from({ length: 101 }, () => api.partner()));
    for (const partner of partners) await add(org, owner, partner);
    const res = await api.http().get(org['@id']).set(owner.auth);
    expect(res.body.member_count).toBe(102);
    expect(res.body.members).toHaveLength(100);
    expect(res.body.members[0].role).toBe('owner');
    expect(res.body.all_members).toBe(`${org['@id']}/members`);
    const all = await api.http().get(`${res.body.all_members}?itemsPerPage=100&page=2`).set(owner.auth);
    expect(all.body['hydra:totalItems']).toBe(102);
    expect(all.body['hydra:member']).toHaveLength(2);
  });

  it('When organizations are listed, then each embeds the same owners and members, in the same order, as its own page (test/member-visibility.test.ts has those left out)', async () => {
    const owner = await api.partner();
    const reader = await api.partner();
    const shared = await organization(owner, { name: 'Shared Members' });
    const second = await api.partner();
    await add(shared, owner, reader, 'admin');
    await add(shared, owner, second, 'owner');
    const own = (await api.http().post('/api/organizations').set(reader.auth).send({ name: 'Reader Own' })).body;
    const listed = (await api.http().get('/api/organizations').set(reader.auth)).body['hydra:member'] as Record<string, unknown>[];
    expect(listed.map((o) => o['@id']).sort()).toEqual([shared['@id'], own['@id']].sort());
    for (const item of listed) {
      const read = (await api.http().get(String(item['@id'])).set(reader.auth)).body;
      expect(item.members).toEqual(read.members);
      expect(item.owners).toEqual(read.owners);
    }
    const sharedListed = listed.find((o) => o['@id'] === shared['@id'])!;
    expect((sharedListed.members as unknown[]).length).toBe(3);
    expect((sharedListed.owners as { role: string }[]).map((m) => m.role)).toEqual(['owner', 'owner']);
  });
});

describe("The caller's organization count, kept with every membership change", () => {
  it('When a partner joins, leaves, and sees an organization deleted, then its collection total and pages follow', async () => {
    const owner = await api.partner();
    const partner = await api.partner();
    const orgs = [];
    for (let i = 0; i < 3; i++) orgs.push(await organization(owner));
    for (const org of orgs) await add(org, owner, partner, 'admin');
    const total = async (who: Caller) => (await api.http().get('/api/organizations?itemsPerPage=1&page=3').set(who.auth)).body;
    expect((await total(partner))['hydra:totalItems']).toBe(3);
    const mine = (await api.http().get(orgs[0].all_members).set(partner.auth)).body['hydra:member'].find((m: { email: string }) => m.email === partner.email);
    expect((await api.http().delete(mine['@id']).set(partner.auth)).status).toBe(204);
    expect((await api.http().delete(orgs[1]['@id']).set(owner.auth)).status).toBe(204);
    const after = await total(partner);
    expect(after['hydra:totalItems']).toBe(1);
    expect(after['hydra:member']).toEqual([]);
    const only = await api.http().get('/api/organizations?itemsPerPage=1&page=1').set(partner.auth);
    expect(only.body['hydra:member'].map((o: { id: string }) => o.id)).toEqual([orgs[2].id]);
    expect((await total(owner))['hydra:totalItems']).toBe(2);
  });

  it('When one partner creates 30 organizations at once and deletes 10 of them at once, then its total is 20, the organizations its pages hold', async () => {
    // Concurrent changes add to different shards of the partner's tally (partner-tally.ts): none may be lost.
    const owner = await api.partner();
    const created = await Promise.all(Array.from({ length: 30 }, (_, i) => organization(owner, { name: `Concurrent ${i}` })));
    const deleted = await Promise.all(created.slice(0, 10).map((org) => api.http().delete(org['@id']).set(owner.auth)));
    expect(deleted.map((res) => res.status)).toEqual(Array(10).fill(204));
    const page = await api.http().get('/api/organizations?itemsPerPage=100').set(owner.auth);
    expect(page.body['hydra:totalItems']).toBe(20);
    expect(page.body['hydra:member'].map((o: { id: string }) => o.id).sort()).toEqual(created.slice(10).map((o) => o.id).sort());
  });
});
