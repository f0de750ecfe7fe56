import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { JOINABLE } from '../src/resources/joinable/joinable-repository.js';
import { createPartner } from '../src/resources/partner/partner-use-cases.js';
import { startApi, type Api } from './support/harness.js';

let api: Api;
beforeAll(async () => {
  api = await startApi({ trustProxy: 'loopback' });
});
afterAll(() => api.close());

const MERGE_PATCH = 'application/merge-patch+json';
type Auth = Record<string, string>;
type Node = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let partners = 0;
/** A partner with an email at `domain`, and its token. */
async function partnerAt(domain: string, name = 'Joining Partner') {
  const created = await createPartner(api.db, { email: `person.${++partners}@${domain}`, name });
  return { ...created, auth: { Authorization: `Bearer ${created.token}` } as Auth };
}

async function organization(auth: Auth, body: object): Promise<Node> {
  const res = await api.http().post('/api/organizations').set(auth).send({ name: 'Auto Join Co', ...body });
  expect(res.status).toBe(201);
  return res.body;
}

const patch = (url: string, auth: Auth, body: object) => api.http().patch(url).set(auth).set('Content-Type', MERGE_PATCH).send(JSON.stringify(body));

/** What /api/me's joinable_organizations link leads to, as the partner finds it. */
async function joinable(auth: Auth, query = ''): Promise<Node> {
  const me = await api.http().get('/api/me').set(auth);
  expect(me.body.joinable_organizations).toBe('/api/me/joinable_organizations');
  const res = await api.http().get(`${me.body.joinable_organizations}${query}`).set(auth);
  expect(res.status).toBe(200);
  return res.body;
}

function expectProblem(res: Response, status: number, slug: string): void {
  expect(res.status).toBe(status);
  expect(res.body.type).toMatch(new RegExp(`/api/errors/${slug}$`));
}

describe('Finding and joining an organization by email domain', () => {
  it('When a partner whose email domain is listed (in another case) follows /api/me, then it finds the organization with only its name, joins as member, and the join is audited', async () => {
    const owner = await api.partner();
    const org = await organization(owner.auth, { name: 'Acme Corp', auto_join_domains: ['Acme.Example'], metadata: { crm_id: 'C-1' }, billing_email: 'billing@acme.example' });
    const joiner = await partnerAt('ACME.example', 'Jo Iner');

    const list = await joinable(joiner.auth);
    expect(list['@context']).toBe('/api/contexts/JoinableOrganization');
    expect(list['hydra:totalItems']).toBe(1);
    const item = list['hydra:member'][0];
    expect(item).toEqual({
      '@id': `/api/me/joinable_organizations/${org.id}`,
      '@type': 'JoinableOrganization',
      id: org.id,
      organization: org['@id'],
      name: 'Acme Corp',
      domain: 'acme.example',
      join: `/api/me/joinable_organizations/${org.id}/join`,
    });
    expect((await api.http().get(item['@id']).set(joiner.auth)).body).toEqual({ '@context': '/api/contexts/JoinableOrganization', ...item });
    expect((await api.http().get(org['@id']).set(joiner.auth)).status).toBe(404);

    const joined = await api.http().post(item.join).set(joiner.auth);
    expect(joined.status).toBe(201);
    expect(joined.headers.location).toBe(api.base + joined.body['@id']);
    expect(joined.body).toMatchObject({ '@context': '/api/contexts/Member', '@type': 'Member', email: joiner.email, name: 'Jo Iner', role: 'member' });
    const read = await api.http().get(org['@id']).set(joiner.auth);
    expect(read.status).toBe(200);
    expect(read.body.member_count).toBe(2);
    expect((await joinable(joiner.auth))['hydra:totalItems']).toBe(0);
    expect((await api.http().get(item['@id']).set(joiner.auth)).status).toBe(404);

    const trail = await api.http().get(`${org.audit_events}?action=member.joined`).set(owner.auth);
    expect(trail.body['hydra:member']).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ id: joiner.id }), target: joined.body['@id'], after: { email: joiner.email, role: 'member', domain: 'acme.example' } }),
    ]);
  });

  it('When the domain is not listed, or only a sub-domain or a longer name that contains it is, then nothing is joinable and joining is 404', async () => {
    const owner = await api.partner();
    const org = await organization(owner.auth, { auto_join_domains: ['corp.example'] });
    for (const domain of ['other.example', 'eu.corp.example', 'corp.example.org']) {
      const stranger = await partnerAt(domain);
      expect((await joinable(stranger.auth))['hydra:totalItems']).toBe(0);
      expectProblem(await api.http().get(`/api/me/joinable_organizations/${org.id}`).set(stranger.auth), 404, 'not-found');
      expectProblem(await api.http().post(`/api/me/joinable_organizations/${org.id}/join`).set(stranger.auth), 404, 'not-found');
    }
    expectProblem(await api.http().post('/api/me/joinable_organizations/not-a-uuid/join').set(owner.auth), 404, 'not-found');
    expect((await api.http().get(org['@id']).set(owner.auth)).body.member_count).toBe(1);
  });

  it('When several organizations list the domain, then they are paged oldest first by cursor, as many as hydra:totalItems', async () => {
    const owner = await api.partner();
    const names = ['First', 'Second', 'Third'];
    for (const name of names) await organization(owner.auth, { name, auto_join_domains: ['paged.example'] });
    const joiner = await partnerAt('paged.example');
    const first = await joinable(joiner.auth, '?itemsPerPage=2');
    expect(first['hydra:totalItems']).toBe(3);
    expect(first['hydra:member'].map((o: Node) => o.name)).toEqual(['First', 'Second']);
    expect(first['hydra:view']['hydra:next']).toMatch(/after=/);
    const next = await api.http().get(first['hydra:view']['hydra:next']).set(joiner.auth);
    expect(next.body['hydra:member'].map((o: Node) => o.name)).toEqual(['Third']);
    const last = await api.http().get(first['hydra:view']['hydra:last']).set(joiner.auth);
    expect(last.body['hydra:member'].map((o: Node) => o.name)).toEqual(['Third']);
  });
});

describe('Who may not join', () => {
  it('When the organization is full, then 409 organization-full and nobody is added', async () => {
    const owner = await api.partner();
    const org = await organization(owner.auth, { auto_join_domains: ['full.example'], max_members: 2 });
    const first = await partnerAt('full.example');
    const second = await partnerAt('full.example');
    expect((await api.http().post(`/api/me/joinable_organizations/${org.id}/join`).set(first.auth)).status).toBe(201);
    expectProblem(await api.http().post(`/api/me/joinable_organizations/${org.id}/join`).set(second.auth), 409, 'organization-full');
    expect((await api.http().get(org['@id']).set(owner.auth)).body.member_count).toBe(2);
  });

  it('When the partner is a member already, is installed as an integration, or has an invitation pending, then 409 naming why', async () => {
    const owner = await api.partner();
    const org = await organization(owner.auth, { auto_join_domains: ['busy.example'] });
    const join = (auth: Auth) => api.http().post(`/api/me/joinable_organizations/${org.id}/join`).set(auth);
    const member = await partnerAt('busy.example');
    expect((await join(member.auth)).status).toBe(201);
    expectProblem(await join(member.auth), 409, 'already-member');

    const integration = await partnerAt('busy.example');
    expect((await api.http().post(org.integrations).set(owner.auth).send({ partner: integration.email, scopes: ['organization:read'] })).status).toBe(201);
    expect((await joinable(integration.auth))['hydra:totalItems']).toBe(0);
    expectProblem(await join(integration.auth), 409, 'integration-installed');

    const invited = await partnerAt('busy.example');
    expect((await api.http().post(org.invitations).set(owner.auth).send({ email: invited.email, role: 'admin' })).status).toBe(201);
    const pending = await join(invited.auth);
    expectProblem(pending, 409, 'invitation-pending');
    expect(pending.body.detail).toContain('accept it instead');
    expect((await api.http().get(org['@id']).set(owner.auth)).body.member_count).toBe(2);
  });

  it("When the organization's ip_allowlist leaves out the joiner's address, then the list shows only its ids and joining is 403", async () => {
    const owner = await api.partner();
    const office = { 'X-Forwarded-For': '203.0.113.7' };
    const elsewhere = { 'X-Forwarded-For': '198.51.100.20' };
    const org = (await api.http().post('/api/organizations').set(owner.auth).set(office).send({ name: 'Office Only', auto_join_domains: ['office.example'], ip_allowlist: ['203.0.113.0/24'] })).body;
    const joiner = await partnerAt('office.example');
    const outside = await api.http().get('/api/me/joinable_organizations').set(joiner.auth).set(elsewhere);
    expect(outside.body['hydra:totalItems']).toBe(1);
    expect(outside.body['hydra:member'][0]).toEqual({ '@id': `/api/me/joinable_organizations/${org.id}`, '@type': 'JoinableOrganization', id: org.id, organization: org['@id'], ip_restricted: true });
    expectProblem(await api.http().get(`/api/me/joinable_organizations/${org.id}`).set(joiner.auth).set(elsewhere), 403, 'ip-not-allowed');
    expectProblem(await api.http().post(`/api/me/joinable_organizations/${org.id}/join`).set(joiner.auth).set(elsewhere), 403, 'ip-not-allowed');
    expect((await api.http().post(`/api/me/joinable_organizations/${org.id}/join`).set(joiner.auth).set(office)).status).toBe(201);
  });
});

describe('The auto_join_domains setting', () => {
  it('When a personal organization is created or patched with auto_join_domains, then 422 on that property, and nothing is stored', async () => {
    const owner = await api.partner();
    const refused = await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Mine', is_personal: true, auto_join_domains: ['mine.example'] });
    expect(refused.status).toBe(422);
    expect(refused.body.violations).toEqual([expect.objectContaining({ propertyPath: 'auto_join_domains', code: 'personal_organization' })]);
    const personal = await organization(owner.auth, { name: 'Mine', is_personal: true });
    const patched = await patch(personal['@id'], owner.auth, { auto_join_domains: ['mine.example'] });
    expect(patched.status).toBe(422);
    expect(patched.body.violations[0]).toMatchObject({ propertyPath: 'auto_join_domains', code: 'personal_organization' });
    const joiner = await partnerAt('mine.example');
    expect((await joinable(joiner.auth))['hydra:totalItems']).toBe(0);
    expect((await api.http().get(personal['@id']).set(owner.auth)).body.auto_join_domains).toEqual([]);
  });

  it('When the domains change or the organization is deleted, then what partners can join follows in the same transaction', async () => {
    const owner = await api.partner();
    const org = await organization(owner.auth, { auto_join_domains: ['before.example'] });
    const before = await partnerAt('before.example');
    const after = await partnerAt('after.example');
    expect((await joinable(before.auth))['hydra:totalItems']).toBe(1);
    expect((await patch(org['@id'], owner.auth, { auto_join_domains: ['After.Example', 'after.example'] })).status).toBe(200);
    expect((await joinable(before.auth))['hydra:totalItems']).toBe(0);
    expectProblem(await api.http().post(`/api/me/joinable_organizations/${org.id}/join`).set(before.auth), 404, 'not-found');
    expect((await joinable(after.auth))['hydra:totalItems']).toBe(1);
    expect((await api.http().delete(org['@id']).set(owner.auth)).status).toBe(204);
    expect((await joinable(after.auth))['hydra:totalItems']).toBe(0);
    expect(await api.db.all('SELECT id FROM auto_join_domain WHERE organization_id = ?', [org.id])).toEqual([]);
  });

  it('When an integration granted organization:write but not member:write sets auto_join_domains, then 403: the setting admits members', async () => {
    const owner = await api.partner();
    const org = await organization(owner.auth, {});
    const settings = await partnerAt('settings.example');
    const installed = (await api.http().post(org.integrations).set(owner.auth).send({ partner: settings.email, scopes: ['organization:read', 'organization:write'] })).body;
    const refused = await patch(org['@id'], settings.auth, { auto_join_domains: ['settings.example'] });
    expectProblem(refused, 403, 'scope-not-granted');
    expect(refused.body.detail).toContain('member:write');
    expect((await patch(org['@id'], settings.auth, { name: 'Renamed By Integration' })).status).toBe(200);
    expect((await patch(installed['@id'], owner.auth, { scopes: ['organization:read', 'organization:write', 'member:write'] })).status).toBe(200);
    expect((await patch(org['@id'], settings.auth, { auto_join_domains: ['settings.example'] })).status).toBe(200);
  });

  it('When the joinable organizations of a domain are read, then the database seeks them in the domain index instead of reading every organization', async () => {
    const owner = await api.partner();
    await organization(owner.auth, { auto_join_domains: ['plan.example'] });
    const joiner = await partnerAt('plan.example');
    // The statement the collection counts and pages with.
    const counted = `SELECT COUNT(*) AS n ${JOINABLE}`;
    const params = ['plan.example', joiner.id, joiner.id];
    if (api.db.engine === 'sqlite') {
      const plan = (await api.db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${counted}`, params)).map((row) => row.detail).join('\n');
      expect(plan).toMatch(/SEARCH d USING (COVERING )?INDEX idx_auto_join_domain_domain_created \(domain=\?\)/);
      expect(plan).not.toMatch(/SCAN (o|organization)\b/);
    } else {
      const plan = await api.db.transaction(async (tx) => {
        await tx.run('SET LOCAL enable_seqscan = off'); // tables this small would be scanned anyway
        return (await tx.all<{ 'QUERY PLAN': string }>(`EXPLAIN ${counted}`, params)).map((row) => row['QUERY PLAN']).join('\n');
      });
      expect(plan).toContain('idx_auto_join_domain_domain_created');
    }
    expect((await joinable(joiner.auth))['hydra:totalItems']).toBe(1);
  });
});
