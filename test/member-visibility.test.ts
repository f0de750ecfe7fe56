import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ROLES } from '../src/resources/member/member.description.js';
import { issueToken } from '../src/resources/partner/partner-use-cases.js';
import { SCOPES, type Scope } from '../src/resources/partner/scopes.js';
import { startApi, type Api } from './support/harness.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

type Node = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Auth = Record<string, string>;

const WITHOUT_MEMBER_READ = SCOPES.filter((s) => s !== 'member:read');
const bearer = (token: string): Auth => ({ Authorization: `Bearer ${token}` });

/** An organization with an owner and a member of every other role. */
async function organization() {
  const owner = await api.partner('Owner');
  const created = await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Visible Co' });
  expect(created.status).toBe(201);
  const org: Node = created.body;
  const members: Record<string, Awaited<ReturnType<Api['partner']>>> = { owner };
  for (const role of ROLES.filter((r) => r !== 'owner')) {
    members[role] = await api.partner(role);
    expect((await api.http().post(org.all_members).set(owner.auth).send({ email: members[role].email, role })).status).toBe(201);
  }
  return { org, owner, members };
}

/** What the caller sees of the members by each path: the collection's status, and the item's and the list's embedded members. */
async function viewOf(org: Node, auth: Auth) {
  const collection = await api.http().get(org.all_members).set(auth);
  const item = await api.http().get(org['@id']).set(auth);
  expect(item.status).toBe(200);
  const list = await api.http().get('/api/organizations?itemsPerPage=100').set(auth);
  expect(list.status).toBe(200);
  const listed: Node = list.body['hydra:member'].find((o: Node) => o['@id'] === org['@id']);
  expect(listed).toBeDefined();
  return { collection: collection.status, item: item.body, listed };
}

function expectMembersShown(view: Awaited<ReturnType<typeof viewOf>>, emails: string[], ownerEmail: string): void {
  expect(view.collection).toBe(200);
  for (const node of [view.item, view.listed]) {
    expect(node.members.map((m: Node) => m.email).sort()).toEqual([...emails].sort());
    expect(node.owners.map((m: Node) => m.email)).toEqual([ownerEmail]);
  }
}

function expectMembersLeftOut(view: Awaited<ReturnType<typeof viewOf>>): void {
  expect(view.collection).toBe(403);
  for (const node of [view.item, view.listed]) {
    expect(node).not.toHaveProperty('members');
    expect(node).not.toHaveProperty('owners');
    expect(JSON.stringify(node)).not.toContain('@example.com');
    expect(node.member_count).toBe(ROLES.length);
    expect(node.all_members).toBe(`${node['@id']}/members`);
  }
}

describe('Embedded members follow the members collection, for every caller, in the item and the list', () => {
  it.each(ROLES)('When a member with the %s role calls with a token carrying member:read, then it sees the members in the collection, the item and the list', async (role) => {
    const { org, owner, members } = await organization();
    const { token } = await issueToken(api.db, members[role].email, { scopes: ['organization:read', 'member:read'] });
    expectMembersShown(await viewOf(org, bearer(token)), Object.values(members).map((m) => m.email), owner.email);
  });

  it.each(ROLES)('When a member with the %s role calls with a token without member:read, then no member is shown: 403 on the collection, neither members nor owners in the item or the list', async (role) => {
    const { org, members } = await organization();
    const { token } = await issueToken(api.db, members[role].email, { scopes: WITHOUT_MEMBER_READ });
    expectMembersLeftOut(await viewOf(org, bearer(token)));
  });

  const integrationCases: [string, Scope[], Scope[], boolean][] = [
    ['granted member:read, token with it', ['organization:read', 'member:read'], ['organization:read', 'member:read'], true],
    ['granted member:read, token without it', ['organization:read', 'member:read'], ['organization:read'], false],
    ['not granted member:read, token with it', ['organization:read'], ['organization:read', 'member:read'], false],
    ['not granted member:read, token without it', ['organization:read'], ['organization:read'], false],
  ];
  it.each(integrationCases)('When an installed integration is %s, then the item and the list show members exactly when the collection answers 200', async (_case, granted, tokenScopes, shown) => {
    const { org, owner, members } = await organization();
    const crm = await api.partner('CRM');
    expect((await api.http().post(org.integrations).set(owner.auth).send({ partner: crm.email, scopes: granted })).status).toBe(201);
    const { token } = await issueToken(api.db, crm.email, { scopes: tokenScopes });
    const view = await viewOf(org, bearer(token));
    if (shown) expectMembersShown(view, Object.values(members).map((m) => m.email), owner.email);
    else expectMembersLeftOut(view);
  });

  it('When a token without member:read renames or creates an organization, then the answer embeds no member either', async () => {
    const { org, members } = await organization();
    const { token } = await issueToken(api.db, members.admin.email, { scopes: WITHOUT_MEMBER_READ });
    const renamed = await api.http().patch(org['@id']).set(bearer(token)).set('Content-Type', 'application/merge-patch+json').send('{"name":"Renamed Co"}');
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Renamed Co');
    expect(renamed.body).not.toHaveProperty('members');
    expect(renamed.body).not.toHaveProperty('owners');
    const created = await api.http().post('/api/organizations').set(bearer(token)).send({ name: 'Own Co' });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('members');
    expect(created.body).not.toHaveProperty('owners');
    expect(created.body.member_count).toBe(1);
    const withMemberRead = await api.http().get(created.body['@id']).set(members.admin.auth);
    expect(withMemberRead.body.owners.map((m: Node) => m.email)).toEqual([members.admin.email]);
  });

  it('When the documentation describes members and owners, then it says when they are left out', async () => {
    const docs = (await api.http().get('/api/docs.json')).body;
    const properties = docs.components.schemas['Organization'].properties;
    for (const name of ['members', 'owners']) expect(properties[name].description).toMatch(/left out.*member:read/i);
  });
});
