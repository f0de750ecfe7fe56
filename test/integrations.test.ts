import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { issueToken } from '../src/resources/partner/partner-use-cases.js';
import { SCOPES, type Scope } from '../src/resources/partner/scopes.js';
import { startApi, type Api } from './support/harness.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const MERGE_PATCH = 'application/merge-patch+json';
type Caller = Awaited<ReturnType<Api['partner']>>;
type Node = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const errorType = (slug: string) => new RegExp(`/api/errors/${slug}$`);

async function organization(owner: Caller, body: object = {}): Promise<Node> {
  const res = await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Integrated Co', ...body });
  expect(res.status).toBe(201);
  return res.body;
}

async function addMember(org: Node, owner: Caller, role: string): Promise<Caller> {
  const member = await api.partner();
  expect((await api.http().post(org.all_members).set(owner.auth).send({ email: member.email, role })).status).toBe(201);
  return member;
}

const install = (org: Node, by: Caller, body: object) => api.http().post(org.integrations).set(by.auth).send(body);

async function installed(org: Node, by: Caller, partner: Caller, scopes: Scope[], config?: Record<string, string>): Promise<Node> {
  const res = await install(org, by, { partner: partner.email, scopes, ...(config ? { config } : {}) });
  expect(res.status).toBe(201);
  return res.body;
}

const patch = (url: string, by: Caller, body: object, headers: Record<string, string> = {}) =>
  api.http().patch(url).set(by.auth).set(headers).set('Content-Type', MERGE_PATCH).send(JSON.stringify(body));

async function trail(org: Node, owner: Caller, action: string): Promise<Node[]> {
  const res = await api.http().get(`${org.audit_events}?action=${action}`).set(owner.auth);
  expect(res.status).toBe(200);
  return res.body['hydra:member'];
}

async function myOrganizationIds(partner: Caller): Promise<string[]> {
  const res = await api.http().get('/api/organizations?itemsPerPage=100').set(partner.auth);
  expect(res.status).toBe(200);
  return res.body['hydra:member'].map((o: Node) => o['@id']);
}

describe('Installing an integration', () => {
  it('When an owner installs a partner by email, then 201 with the installation, its Location, and the organization links to it', async () => {
    const owner = await api.partner('Owner');
    const crm = await api.partner('CRM Sync');
    const org = await organization(owner);
    expect(org.integrations).toBe(`${org['@id']}/integrations`);
    const res = await install(org, owner, { partner: crm.email, scopes: ['member:read', 'organization:read'], config: { environment: 'production' } });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`${api.base}${res.body['@id']}`);
    expect(res.body).toMatchObject({
      '@context': '/api/contexts/Integration',
      '@type': 'Integration',
      organization: org['@id'],
      partner: { '@type': 'Partner', id: crm.id, email: crm.email, name: 'CRM Sync' },
      scopes: ['organization:read', 'member:read'],
      config: { environment: 'production' },
      created_by: { '@type': 'Partner', id: owner.id, email: owner.email },
    });
    expect(res.body['@id']).toBe(`${org.integrations}/${res.body.id}`);
    expect(Object.keys(res.body).sort()).toEqual(['@context', '@id', '@type', 'config', 'created_at', 'created_by', 'id', 'organization', 'partner', 'scopes', 'updated_at']);
    expect(res.body.created_at).toBe(res.body.updated_at);
    const read = await api.http().get(res.body['@id']).set(owner.auth);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
  });

  it('When the partner is given by id, then it is installed the same way, with an empty config by default', async () => {
    const owner = await api.partner();
    const billing = await api.partner();
    const org = await organization(owner);
    const res = await install(org, owner, { partner: billing.id.toUpperCase(), scopes: ['organization:read'] });
    expect(res.status).toBe(201);
    expect(res.body.partner.id).toBe(billing.id);
    expect(res.body.config).toEqual({});
  });

  it('When the same partner is installed twice, then 409 and still one installation', async () => {
    const owner = await api.partner();
    const crm = await api.partner();
    const org = await organization(owner);
    await installed(org, owner, crm, ['organization:read']);
    const again = await install(org, owner, { partner: crm.id, scopes: ['member:read'] });
    expect(again.status).toBe(409);
    expect(again.body.type).toMatch(errorType('integration-exists'));
    const list = await api.http().get(org.integrations).set(owner.auth);
    expect(list.body['hydra:totalItems']).toBe(1);
  });

  it('When the partner is a member, or the installed partner is then added, invited or accepts, then 409: a partner is one or the other', async () => {
    const owner = await api.partner();
    const member = await api.partner();
    const crm = await api.partner();
    const org = await organization(owner);
    expect((await api.http().post(org.all_members).set(owner.auth).send({ email: member.email, role: 'member' })).status).toBe(201);
    const ofMember = await install(org, owner, { partner: member.email, scopes: ['organization:read'] });
    expect(ofMember.status).toBe(409);
    expect(ofMember.body.type).toMatch(errorType('already-member'));

    const invitation = (await api.http().post(org.invitations).set(owner.auth).send({ email: crm.email, role: 'member' })).body;
    await installed(org, owner, crm, ['organization:read']);
    const invited = await api.http().post(org.invitations).set(owner.auth).send({ email: crm.email.toUpperCase(), role: 'admin' });
    expect(invited.status).toBe(409);
    expect(invited.body.type).toMatch(errorType('integration-installed'));
    const added = await api.http().post(org.all_members).set(owner.auth).send({ email: crm.email, role: 'member' });
    expect(added.status).toBe(409);
    expect(added.body.type).toMatch(errorType('integration-installed'));
    const accepted = await api.http().post(invitation.accept).set(crm.auth);
    expect(accepted.status).toBe(409);
    expect(accepted.body.type).toMatch(errorType('integration-installed'));
    expect((await api.http().get(org['@id']).set(owner.auth)).body.member_count).toBe(2);
  });

  it('When the body is invalid, then 422 with every violation (an oversized map as one), and nothing is installed', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const config = Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`key${i}`, 'v']));
    const res = await install(org, owner, { scopes: [], config: { ...config, key0: 7 } });
    expect(res.status).toBe(422);
    // A map over its size is one violation: its entries are not read.
    expect(res.body.violations.map((v: Node) => v.propertyPath).sort()).toEqual(['config', 'partner', 'scopes'].sort());
    const wrongEntry = await install(org, owner, { partner: (await api.partner()).email, scopes: ['organization:read'], config: { key0: 7, key1: 'v' } });
    expect(wrongEntry.body.violations).toEqual([expect.objectContaining({ propertyPath: 'config.key0', code: 'invalid_type' })]);
    const unknownScope = await install(org, owner, { partner: (await api.partner()).email, scopes: ['organization:read', 'everything'] });
    expect(unknownScope.status).toBe(422);
    expect(unknownScope.body.violations[0].propertyPath).toMatch(/^scopes/);
    const nobody = await install(org, owner, { partner: 'nobody@example.test', scopes: ['organization:read'] });
    expect(nobody.status).toBe(422);
    expect(nobody.body.violations).toEqual([expect.objectContaining({ propertyPath: 'partner', code: 'unknown_partner' })]);
    expect((await api.http().get(org.integrations).set(owner.auth)).body['hydra:totalItems']).toBe(0);
  });
});

describe('Installing at the same time', () => {
  it('When 4 installs of one partner race, then one 201 and three 409, and one installation', async () => {
    const owner = await api.partner();
    const crm = await api.partner();
    const org = await organization(owner);
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => install(org, owner, { partner: crm.email, scopes: ['organization:read'], config: { attempt: String(i) } })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect((await api.http().get(org.integrations).set(owner.auth)).body['hydra:totalItems']).toBe(1);
    expect((await api.http().get('/api/organizations').set(crm.auth)).body['hydra:totalItems']).toBe(1);
  });

  it('When installing a partner races adding it as a member, then exactly one wins: member or integration, never both', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    for (let round = 0; round < 3; round++) {
      const partner = await api.partner();
      const [installedRes, added] = await Promise.all([
        install(org, owner, { partner: partner.email, scopes: ['organization:read'] }),
        api.http().post(org.all_members).set(owner.auth).send({ email: partner.email, role: 'member' }),
      ]);
      expect([installedRes.status, added.status].sort()).toEqual([201, 409]);
      const list = await api.http().get('/api/organizations').set(partner.auth);
      expect(list.body['hydra:totalItems']).toBe(1);
      expect(list.body['hydra:member']).toHaveLength(1);
    }
  });
});

describe('Who may install, and what they may grant', () => {
  it('When an admin grants organization:write, then 403 naming it (it covers deleting the organization); member:write and the rest it may grant', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const admin = await addMember(org, owner, 'admin');
    const crm = await api.partner();
    const refused = await install(org, admin, { partner: crm.email, scopes: ['organization:read', 'organization:write'] });
    expect(refused.status).toBe(403);
    expect(refused.body.type).toMatch(errorType('forbidden'));
    expect(refused.body.detail).toContain('organization:write');
    expect(refused.body.detail).toContain('organization:delete');
    expect((await api.http().get(org.integrations).set(owner.auth)).body['hydra:totalItems']).toBe(0);
    const granted = await install(org, admin, { partner: crm.email, scopes: SCOPES.filter((s) => s !== 'organization:write') });
    expect(granted.status).toBe(201);
  });

  it('When billing or plain members install, then 403; they may still list and read installations', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const crm = await api.partner();
    const integration = await installed(org, owner, crm, ['organization:read']);
    for (const role of ['billing', 'member']) {
      const member = await addMember(org, owner, role);
      const res = await install(org, member, { partner: (await api.partner()).email, scopes: ['organization:read'] });
      expect(res.status).toBe(403);
      expect(res.body.detail).toContain(`${role} role`);
      expect((await patch(integration['@id'], member, { scopes: ['member:read'] })).status).toBe(403);
      expect((await api.http().delete(integration['@id']).set(member.auth)).status).toBe(403);
      const list = await api.http().get(org.integrations).set(member.auth);
      expect(list.status).toBe(200);
      expect(list.body['hydra:member'].map((i: Node) => i['@id'])).toEqual([integration['@id']]);
    }
  });

  it('When an admin changes or disconnects an integration holding organization:write, then 403; the owner may', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const admin = await addMember(org, owner, 'admin');
    const integration = await installed(org, owner, await api.partner(), ['organization:read', 'organization:write']);
    const narrowed = await patch(integration['@id'], admin, { scopes: ['organization:read'] });
    expect(narrowed.status).toBe(403);
    expect(narrowed.body.detail).toContain('organization:write');
    expect((await api.http().delete(integration['@id']).set(admin.auth)).status).toBe(403);
    expect((await patch(integration['@id'], admin, { scopes: ['organization:write'] })).status).toBe(403);
    expect((await patch(integration['@id'], owner, { scopes: ['organization:read'] })).status).toBe(200);
    expect((await patch(integration['@id'], admin, { scopes: ['organization:read', 'member:write'] })).status).toBe(200);
  });

  it('When a stranger reads or installs, then 404, as for the organization itself', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const integration = await installed(org, owner, await api.partner(), ['organization:read']);
    const stranger = await api.partner();
    expect((await api.http().get(org.integrations).set(stranger.auth)).status).toBe(404);
    expect((await api.http().get(integration['@id']).set(stranger.auth)).status).toBe(404);
    expect((await install(org, stranger, { partner: stranger.email, scopes: ['organization:read'] })).status).toBe(404);
  });
});

describe('Changing an installation', () => {
  it('When scopes and config are patched, then scopes are replaced, config merged (null removes), and the audit trail keeps before and after', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const integration = await installed(org, owner, await api.partner(), ['organization:read'], { environment: 'staging', region: 'eu' });
    const res = await patch(integration['@id'], owner, { scopes: ['member:read', 'organization:read'], config: { environment: 'production', region: null, tier: 'gold' } });
    expect(res.status).toBe(200);
    expect(res.body.scopes).toEqual(['organization:read', 'member:read']);
    expect(res.body.config).toEqual({ environment: 'production', tier: 'gold' });
    expect(Date.parse(res.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(integration.updated_at));
    expect(res.body.created_at).toBe(integration.created_at);
    const [changed] = await trail(org, owner, 'integration.changed');
    expect(changed).toMatchObject({
      actor: { id: owner.id },
      target: integration['@id'],
      before: { scopes: ['organization:read'], config: { environment: 'staging', region: 'eu' } },
      after: { scopes: ['organization:read', 'member:read'], config: { environment: 'production', tier: 'gold' } },
    });
  });

  it('When a patch changes nothing, then 200 and no audit entry; an empty scope list, or with Prefer: handling=strict the partner, is refused with 422', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const integration = await installed(org, owner, await api.partner(), ['organization:read']);
    expect((await patch(integration['@id'], owner, { scopes: ['organization:read'] })).status).toBe(200);
    expect(await trail(org, owner, 'integration.changed')).toHaveLength(0);
    const empty = await patch(integration['@id'], owner, { scopes: [] });
    expect(empty.status).toBe(422);
    // partner is set only at installation: ignored by default, refused when the client asks for strict handling.
    expect((await patch(integration['@id'], owner, { partner: owner.email })).status).toBe(200);
    const partner = await patch(integration['@id'], owner, { partner: owner.email }, { Prefer: 'handling=strict' });
    expect(partner.status).toBe(422);
    expect(partner.body.violations[0].propertyPath).toBe('partner');
    expect(await trail(org, owner, 'integration.changed')).toHaveLength(0);
  });

  it('When If-Match is stale, then 412 and nothing changes', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const integration = await installed(org, owner, await api.partner(), ['organization:read']);
    const { headers } = await api.http().get(integration['@id']).set(owner.auth);
    expect((await patch(integration['@id'], owner, { config: { a: 'b' } }, { 'If-Match': headers.etag })).status).toBe(200);
    expect((await patch(integration['@id'], owner, { config: { a: 'c' } }, { 'If-Match': headers.etag })).status).toBe(412);
    expect((await api.http().delete(integration['@id']).set(owner.auth).set('If-Match', headers.etag)).status).toBe(412);
    expect((await api.http().get(integration['@id']).set(owner.auth)).body.config).toEqual({ a: 'b' });
  });

  it('When an installation grows past 25 config keys by merging, then 422', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const config = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`key${i}`, 'v']));
    const integration = await installed(org, owner, await api.partner(), ['organization:read'], config);
    const res = await patch(integration['@id'], owner, { config: { one: 'more' } });
    expect(res.status).toBe(422);
    expect(res.body.violations[0]).toMatchObject({ propertyPath: 'config', code: 'too_many_entries' });
    expect((await patch(integration['@id'], owner, { config: { key0: null, one: 'more' } })).status).toBe(200);
  });
});

describe("The installed partner's view", () => {
  it('When installed, then the organization is in its list and readable, but it is in neither owners nor members, nor counted', async () => {
    const owner = await api.partner();
    const crm = await api.partner();
    const org = await organization(owner, { max_members: 1 });
    await installed(org, owner, crm, ['organization:read', 'member:read']);
    expect(await myOrganizationIds(crm)).toEqual([org['@id']]);
    const read = await api.http().get(org['@id']).set(crm.auth);
    expect(read.status).toBe(200);
    expect(read.body.member_count).toBe(1);
    expect(read.body.members.map((m: Node) => m.email)).toEqual([owner.email]);
    expect(read.body.owners.map((m: Node) => m.email)).toEqual([owner.email]);
    const members = await api.http().get(org.all_members).set(crm.auth);
    expect(members.status).toBe(200);
    expect(members.body['hydra:member'].map((m: Node) => m.email)).toEqual([owner.email]);
    // max_members is 1 and the owner fills it: the integration took no place.
    const full = await api.http().post(org.invitations).set(owner.auth).send({ email: 'someone@example.test', role: 'member' });
    expect(full.status).toBe(409);
    expect(full.body.type).toMatch(errorType('organization-full'));
  });

  it('When it acts, then each granted scope allows exactly its actions, and everything else is 403 naming the scope', async () => {
    const owner = await api.partner();
    const crm = await api.partner();
    const org = await organization(owner);
    const integration = await installed(org, owner, crm, ['member:read']);
    const notGranted = async (res: { status: number; body: Node }, scope: string) => {
      expect(res.status).toBe(403);
      expect(res.body.type).toMatch(errorType('scope-not-granted'));
      expect(res.body.detail).toContain(scope);
    };
    expect((await api.http().get(org.all_members).set(crm.auth)).status).toBe(200);
    await notGranted(await api.http().get(org['@id']).set(crm.auth), 'organization:read');
    await notGranted(await patch(org['@id'], crm, { name: 'Renamed' }), 'organization:write');
    await notGranted(await api.http().post(org.all_members).set(crm.auth).send({ email: (await api.partner()).email, role: 'member' }), 'member:write');
    await notGranted(await api.http().get(org.invitations).set(crm.auth), 'invitation:read');
    await notGranted(await api.http().post(org.invitations).set(crm.auth).send({ email: 'new@example.test', role: 'member' }), 'invitation:write');
    await notGranted(await api.http().delete(org['@id']).set(crm.auth), 'organization:write');
    // Neither the audit trail nor the other installations are a scope's to grant.
    expect((await api.http().get(org.audit_events).set(crm.auth)).status).toBe(403);
    expect((await api.http().get(org.integrations).set(crm.auth)).status).toBe(403);
    expect((await install(org, crm, { partner: (await api.partner()).email, scopes: ['member:read'] })).status).toBe(403);
    // Its own installation it may read: its scopes and config are its settings.
    const own = await api.http().get(integration['@id']).set(crm.auth);
    expect(own.status).toBe(200);
    expect(own.body.scopes).toEqual(['member:read']);

    await patch(integration['@id'], owner, { scopes: SCOPES });
    expect((await api.http().get(org['@id']).set(crm.auth)).status).toBe(200);
    const renamed = await patch(org['@id'], crm, { name: 'Renamed by CRM' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Renamed by CRM');
    const added = await api.http().post(org.all_members).set(crm.auth).send({ email: (await api.partner()).email, role: 'member' });
    expect(added.status).toBe(201);
    const invited = await api.http().post(org.invitations).set(crm.auth).send({ email: 'new@example.test', role: 'member' });
    expect(invited.status).toBe(201);
    expect(invited.body.created_by.id).toBe(crm.id);
    // Roles above member stay with people: a partner the integration controls gets no right its scopes lack.
    for (const role of ['owner', 'admin', 'billing']) {
      const higher = await api.http().post(org.all_members).set(crm.auth).send({ email: (await api.partner()).email, role });
      expect(higher.status).toBe(403);
      expect(higher.body.detail).toContain(`${role} role`);
      expect((await api.http().post(org.invitations).set(crm.auth).send({ email: `${role}@example.test`, role })).status).toBe(403);
    }
    expect((await patch(added.body['@id'], crm, { role: 'admin' })).status).toBe(403);
    expect((await patch(org.owners[0]['@id'], crm, { role: 'member' })).status).toBe(403);
    expect((await api.http().delete(org.owners[0]['@id']).set(crm.auth)).status).toBe(403);
    expect((await api.http().delete(added.body['@id']).set(crm.auth)).status).toBe(204);
    const [renamedEvent] = await trail(org, owner, 'organization.updated');
    expect(renamedEvent.actor.id).toBe(crm.id);
  });

  it("When its token lacks a scope the installation grants, then the token's 403; when the token has one the installation lacks, then the installation's", async () => {
    const owner = await api.partner();
    const crm = await api.partner();
    const org = await organization(owner);
    await installed(org, owner, crm, ['organization:read', 'member:read']);
    const { token } = await issueToken(api.db, crm.email, { scopes: ['organization:read', 'organization:write'] });
    const auth = { Authorization: `Bearer ${token}` };
    expect((await api.http().get(org['@id']).set(auth)).status).toBe(200);
    const members = await api.http().get(org.all_members).set(auth);
    expect(members.status).toBe(403);
    expect(members.body.type).toMatch(errorType('insufficient-scope'));
    const rename = await api.http().patch(org['@id']).set(auth).set('Content-Type', MERGE_PATCH).send('{"name":"No"}');
    expect(rename.status).toBe(403);
    expect(rename.body.type).toMatch(errorType('scope-not-granted'));
  });

  it('When it is disconnected, then the next request finds nothing: 404, gone from its lists, counts back', async () => {
    const owner = await api.partner();
    const crm = await api.partner();
    const org = await organization(owner);
    const integration = await installed(org, owner, crm, ['organization:read', 'member:read'], { environment: 'production' });
    expect((await api.http().get(org['@id']).set(crm.auth)).status).toBe(200);
    expect((await api.http().delete(integration['@id']).set(owner.auth)).status).toBe(204);
    expect((await api.http().get(org['@id']).set(crm.auth)).status).toBe(404);
    expect((await api.http().get(org.all_members).set(crm.auth)).status).toBe(404);
    expect((await api.http().get(integration['@id']).set(owner.auth)).status).toBe(404);
    const list = await api.http().get('/api/organizations').set(crm.auth);
    expect(list.body['hydra:totalItems']).toBe(0);
    expect(list.body['hydra:member']).toEqual([]);
    const [event] = await trail(org, owner, 'integration.disconnected');
    expect(event).toMatchObject({ actor: { id: owner.id }, target: integration['@id'], before: { partner_id: crm.id, scopes: ['organization:read', 'member:read'], config: { environment: 'production' } } });
    const [installedEvent] = await trail(org, owner, 'integration.installed');
    expect(installedEvent).toMatchObject({ after: { partner_id: crm.id, scopes: ['organization:read', 'member:read'] } });
    // Once disconnected it may be installed again, or become a member.
    expect((await api.http().post(org.all_members).set(owner.auth).send({ email: crm.email, role: 'member' })).status).toBe(201);
  });

  it('When the integration disconnects itself, then it is gone, recorded with it as the actor', async () => {
    const owner = await api.partner();
    const crm = await api.partner();
    const org = await organization(owner);
    const integration = await installed(org, owner, crm, ['organization:read']);
    expect((await api.http().delete(integration['@id']).set(crm.auth)).status).toBe(204);
    expect((await api.http().get(org['@id']).set(crm.auth)).status).toBe(404);
    const [event] = await trail(org, owner, 'integration.disconnected');
    expect(event.actor.id).toBe(crm.id);
  });

  it('When the organization is deleted, then it leaves the installed partner’s list and count', async () => {
    const owner = await api.partner();
    const crm = await api.partner();
    const kept = await organization(owner, { name: 'Kept' });
    const deleted = await organization(owner, { name: 'Deleted' });
    await installed(kept, owner, crm, ['organization:read']);
    await installed(deleted, owner, crm, ['organization:read']);
    expect((await api.http().delete(deleted['@id']).set(owner.auth)).status).toBe(204);
    const list = await api.http().get('/api/organizations').set(crm.auth);
    expect(list.body['hydra:totalItems']).toBe(1);
    expect(list.body['hydra:member'].map((o: Node) => o['@id'])).toEqual([kept['@id']]);
    const me = await api.http().get('/api/me/installations').set(crm.auth);
    expect(me.body['hydra:totalItems']).toBe(1);
  });
});

describe('What an installed integration sees of the organization', () => {
  it('When it lacks organization:read, then the organization is not in its list, until that scope is granted', async () => {
    const owner = await api.partner();
    const crm = await api.partner();
    const org = await organization(owner);
    const integration = await installed(org, owner, crm, ['member:read']);
    const empty = await api.http().get('/api/organizations').set(crm.auth);
    expect(empty.body['hydra:totalItems']).toBe(0);
    expect(empty.body['hydra:member']).toEqual([]);
    expect((await api.http().get('/api/me/installations').set(crm.auth)).body['hydra:totalItems']).toBe(1);
    await patch(integration['@id'], owner, { scopes: ['member:read', 'organization:read'] });
    expect(await myOrganizationIds(crm)).toEqual([org['@id']]);
    expect((await api.http().get('/api/organizations?name=integrated').set(crm.auth)).body['hydra:totalItems']).toBe(1);
    await patch(integration['@id'], owner, { scopes: ['member:read'] });
    expect(await myOrganizationIds(crm)).toEqual([]);
    expect((await api.http().get('/api/organizations?order[name]=asc').set(crm.auth)).body['hydra:totalItems']).toBe(0);
  });

  it('When it lacks member:read, then the organization comes without owners and members, read alone, in its list, or after a change', async () => {
    const owner = await api.partner();
    const crm = await api.partner();
    const org = await organization(owner);
    const integration = await installed(org, owner, crm, ['organization:read', 'organization:write']);
    const read = await api.http().get(org['@id']).set(crm.auth);
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty('members');
    expect(read.body).not.toHaveProperty('owners');
    expect(read.body.member_count).toBe(1);
    const [listed] = (await api.http().get('/api/organizations').set(crm.auth)).body['hydra:member'];
    expect(listed).not.toHaveProperty('members');
    const renamed = await patch(org['@id'], crm, { name: 'Renamed Unseen' }, { 'If-Match': read.headers.etag });
    expect(renamed.status).toBe(200);
    expect(renamed.body).not.toHaveProperty('members');
    // The owner still sees them, and so does the integration once granted member:read.
    expect((await api.http().get(org['@id']).set(owner.auth)).body.members).toHaveLength(1);
    await patch(integration['@id'], owner, { scopes: ['organization:read', 'member:read'] });
    expect((await api.http().get(org['@id']).set(crm.auth)).body.owners.map((m: Node) => m.email)).toEqual([owner.email]);
  });
});

describe('Discovering installations', () => {
  it('When an integration follows /api/me, then it finds its installations, and from each the organization', async () => {
    const owner = await api.partner();
    const crm = await api.partner();
    const first = await organization(owner, { name: 'First' });
    const second = await organization(owner, { name: 'Second' });
    await installed(first, owner, crm, ['organization:read'], { environment: 'eu' });
    await installed(second, owner, crm, ['member:read']);
    const me = await api.http().get('/api/me').set(crm.auth);
    expect(me.body.installations).toBe('/api/me/installations');
    const res = await api.http().get(me.body.installations).set(crm.auth);
    expect(res.status).toBe(200);
    expect(res.body['@context']).toBe('/api/contexts/Integration');
    expect(res.body['hydra:totalItems']).toBe(2);
    const [a, b] = res.body['hydra:member'];
    expect(a).toMatchObject({ organization: first['@id'], scopes: ['organization:read'], config: { environment: 'eu' } });
    expect(b).toMatchObject({ organization: second['@id'], scopes: ['member:read'] });
    expect((await api.http().get(a.organization).set(crm.auth)).body.name).toBe('First');
    const page = await api.http().get(`${me.body.installations}?itemsPerPage=1`).set(crm.auth);
    expect(page.body['hydra:member'][0]['@id']).toBe(a['@id']);
    const next = await api.http().get(page.body['hydra:view']['hydra:next']).set(crm.auth);
    expect(next.body['hydra:member'][0]['@id']).toBe(b['@id']);
    expect(next.body['hydra:view']['hydra:next']).toBeUndefined();
  });

  it('When a partner is member of some organizations and installed in others, then its list walks all of them once, by cursor and by page number', async () => {
    const owner = await api.partner();
    const partner = await api.partner();
    const expected: string[] = [];
    for (let i = 0; i < 5; i++) {
      const org = await organization(i % 2 === 0 ? partner : owner, { name: `Org ${i}` });
      if (i % 2 === 1) await installed(org, owner, partner, ['organization:read']);
      expected.push(org['@id']);
    }
    const walked: string[] = [];
    let url: string | undefined = '/api/organizations?itemsPerPage=2';
    while (url) {
      const res: { body: Node } = await api.http().get(url).set(partner.auth);
      expect(res.body['hydra:totalItems']).toBe(5);
      walked.push(...res.body['hydra:member'].map((o: Node) => o['@id']));
      url = res.body['hydra:view']['hydra:next'];
    }
    expect(walked).toEqual(expected);
    const last = await api.http().get('/api/organizations?itemsPerPage=2&page=3').set(partner.auth);
    expect(last.body['hydra:member'].map((o: Node) => o['@id'])).toEqual(expected.slice(4));
    const back = await api.http().get(last.body['hydra:view']['hydra:previous']).set(partner.auth);
    expect(back.body['hydra:member'].map((o: Node) => o['@id'])).toEqual(expected.slice(2, 4));
    const byName = await api.http().get('/api/organizations?order[name]=desc&itemsPerPage=10').set(partner.auth);
    expect(byName.body['hydra:totalItems']).toBe(5);
    expect(byName.body['hydra:member'].map((o: Node) => o.name)).toEqual(['Org 4', 'Org 3', 'Org 2', 'Org 1', 'Org 0']);
    const named = await api.http().get('/api/organizations?name=org%203').set(partner.auth);
    expect(named.body['hydra:member'].map((o: Node) => o['@id'])).toEqual([expected[3]]);
  });
});
