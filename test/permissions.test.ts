import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { ROLES, type Role } from '../src/resources/member/member.description.js';
import { INTEGRATION_RANK, PERMISSIONS, SCOPE_ACTIONS, may, mayAssign, scopeCovering, type Action } from '../src/resources/member/permissions.js';
import { issueToken, revokeToken } from '../src/resources/partner/partner-use-cases.js';
import { SCOPES, type Scope } from '../src/resources/partner/scopes.js';
import { startApi, type Api } from './support/harness.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const MERGE_PATCH = 'application/merge-patch+json';
type Auth = Record<string, string>;
type Caller = Role | 'stranger';
const WHO: Record<Caller, string> = { owner: 'an owner', admin: 'an admin', billing: 'a billing member', member: 'a plain member', stranger: 'a stranger' };

let invitees = 0;
const freshEmail = () => `invitee.${++invitees}@invited.example`;
const get = (url: string, auth: Auth) => api.http().get(url).set(auth);
const post = (url: string, auth: Auth, body: object) => api.http().post(url).set(auth).send(body);
const patch = (url: string, auth: Auth, body: object) => api.http().patch(url).set(auth).set('Content-Type', MERGE_PATCH).send(JSON.stringify(body));
const del = (url: string, auth: Auth) => api.http().delete(url).set(auth);

/** An RFC 9457 problem document whose status and type match the response. */
function expectProblem(res: Response, status: number, slug: string): void {
  expect(res.status).toBe(status);
  expect(res.type).toBe('application/problem+json');
  expect(res.body.status).toBe(status);
  expect(res.body.type).toMatch(new RegExp(`/api/errors/${slug}$`));
}

/**
 * A fresh organization: its creator (an owner), a partner in each role added by the creator,
 * a plain member to act on, a partner who could be added, a stranger, a pending invitation
 * and an integration installed with organization:read.
 */
async function organization() {
  const creator = await api.partner();
  const created = await post('/api/organizations', creator.auth, { name: 'Matrix Org' });
  expect(created.status).toBe(201);
  const path: string = created.body['@id'];
  const add = async (role: Role) => {
    const partner = await api.partner();
    const res = await post(`${path}/members`, creator.auth, { email: partner.email, role });
    expect(res.status).toBe(201);
    return { ...partner, member: res.body['@id'] as string };
  };
  const members = {} as Record<Role, Awaited<ReturnType<typeof add>>>;
  for (const role of ROLES) members[role] = await add(role);
  const target = await add('member');
  const invited = await post(`${path}/invitations`, creator.auth, { email: freshEmail(), role: 'member' });
  expect(invited.status).toBe(201);
  const installed = await post(`${path}/integrations`, creator.auth, { partner: (await api.partner()).email, scopes: ['organization:read'] });
  expect(installed.status).toBe(201);
  return {
    path,
    creator: { ...creator, member: `${path}/members/${created.body.owners[0].id}` },
    members,
    target,
    outsider: await api.partner(),
    stranger: await api.partner(),
    invitation: invited.body['@id'] as string,
    integration: installed.body['@id'] as string,
  };
}
type Org = Awaited<ReturnType<typeof organization>>;

interface Operation {
  action: Action;
  /** The role the operation grants or acts on, where that is above a plain member. */
  role?: Role;
  does: string;
  ok: number;
  send: (org: Org, auth: Auth) => Promise<Response>;
}

/** Every operation on an organization, with the PERMISSIONS action it needs and its status when allowed. */
const OPERATIONS: Operation[] = [
  { action: 'organization:read', does: 'GETs the organization', ok: 200, send: (o, auth) => get(o.path, auth) },
  { action: 'organization:update', does: "PATCHes the organization's name", ok: 200, send: (o, auth) => patch(o.path, auth, { name: 'Renamed' }) },
  { action: 'organization:update-billing', does: "PATCHes the organization's billing_email", ok: 200, send: (o, auth) => patch(o.path, auth, { billing_email: 'b@x.example' }) },
  { action: 'organization:delete', does: 'DELETEs the organization', ok: 204, send: (o, auth) => del(o.path, auth) },
  { action: 'member:read', does: 'GETs the member list', ok: 200, send: (o, auth) => get(`${o.path}/members`, auth) },
  { action: 'member:read', does: 'GETs a member', ok: 200, send: (o, auth) => get(o.target.member, auth) },
  { action: 'member:add', does: 'POSTs a partner as a new member', ok: 201, send: (o, auth) => post(`${o.path}/members`, auth, { email: o.outsider.email, role: 'member' }) },
  { action: 'member:change-role', role: 'billing', does: "PATCHes a plain member's role to billing", ok: 200, send: (o, auth) => patch(o.target.member, auth, { role: 'billing' }) },
  { action: 'member:remove', does: 'DELETEs a plain member', ok: 204, send: (o, auth) => del(o.target.member, auth) },
  { action: 'invitation:read', does: 'GETs the invitations', ok: 200, send: (o, auth) => get(`${o.path}/invitations`, auth) },
  { action: 'invitation:create', does: 'POSTs an invitation as member', ok: 201, send: (o, auth) => post(`${o.path}/invitations`, auth, { email: freshEmail(), role: 'member' }) },
  { action: 'invitation:revoke', does: 'revokes a pending invitation', ok: 200, send: (o, auth) => post(`${o.invitation}/revoke`, auth, {}) },
  { action: 'audit:read', does: 'GETs the audit trail', ok: 200, send: (o, auth) => get(`${o.path}/audit_events`, auth) },
  { action: 'integration:read', does: 'GETs the integrations', ok: 200, send: (o, auth) => get(`${o.path}/integrations`, auth) },
  { action: 'integration:read', does: 'GETs an installation', ok: 200, send: (o, auth) => get(o.integration, auth) },
  { action: 'integration:install', does: 'installs a partner with member:read', ok: 201, send: (o, auth) => post(`${o.path}/integrations`, auth, { partner: o.outsider.email, scopes: ['member:read'] }) },
  { action: 'integration:change', does: "PATCHes an installation's scopes", ok: 200, send: (o, auth) => patch(o.integration, auth, { scopes: ['member:read'] }) },
  { action: 'integration:disconnect', does: 'disconnects an installation', ok: 204, send: (o, auth) => del(o.integration, auth) },
];

const expected = (caller: Caller, op: Operation) => (caller === 'stranger' ? 404 : may(caller, op.action) ? op.ok : 403);
const cases = ([...ROLES, 'stranger'] as Caller[]).flatMap((caller) =>
  OPERATIONS.map((op) => ({ name: `When ${WHO[caller]} ${op.does}, then ${expected(caller, op)}`, caller, op, status: expected(caller, op) })),
);

describe('The PERMISSIONS table, role by role and operation by operation', () => {
  it('When the table lists an action, then the matrix covers it', () => {
    expect(new Set(OPERATIONS.map((op) => op.action))).toEqual(new Set(Object.keys(PERMISSIONS)));
  });

  it.each(cases)('$name', async ({ caller, op, status }) => {
    const org = await organization();
    const res = await op.send(org, caller === 'stranger' ? org.stranger.auth : org.members[caller].auth);
    expect(res.status).toBe(status);
    if (status === 403) expectProblem(res, 403, 'forbidden');
    if (status === 404) expectProblem(res, 404, 'not-found');
  });

  it.each(OPERATIONS)('When a caller without a token $does, then 401 with a WWW-Authenticate challenge', async (op) => {
    const org = await organization();
    const res = await op.send(org, {});
    expectProblem(res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
  });

  it.each(OPERATIONS)("When an owner's revoked token $does, then 401 invalid_token and nothing happens", async (op) => {
    const org = await organization();
    const owner = await api.partner();
    const own = await post('/api/organizations', owner.auth, { name: 'Revoked Owner Org' });
    const leaked = await revokedToken(owner.email);
    const res = await op.send({ ...org, path: own.body['@id'] }, { Authorization: `Bearer ${leaked}` });
    expectProblem(res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    expect((await get(own.body['@id'], owner.auth)).status).toBe(200);
  });
});

/** A token of the partner's, revoked at once: what a leaked copy would present. */
async function revokedToken(email: string): Promise<string> {
  const issued = await issueToken(api.db, email);
  await revokeToken(api.db, issued.id);
  return issued.token;
}

describe('No escalation: nobody grants or manages a role above their own', () => {
  const attempts = [
    { does: 'adds a partner as owner', ok: 201, send: (o: Org, auth: Auth) => post(`${o.path}/members`, auth, { email: o.outsider.email, role: 'owner' }) },
    { does: 'invites someone as owner', ok: 201, send: (o: Org, auth: Auth) => post(`${o.path}/invitations`, auth, { email: freshEmail(), role: 'owner' }) },
    { does: "changes an owner's role to admin", ok: 200, send: (o: Org, auth: Auth) => patch(o.creator.member, auth, { role: 'admin' }) },
    { does: 'promotes a plain member to owner', ok: 200, send: (o: Org, auth: Auth) => patch(o.target.member, auth, { role: 'owner' }) },
  ];
  const escalations = attempts.flatMap((attempt) => [
    { ...attempt, role: 'admin' as const, who: WHO.admin, status: 403 },
    { ...attempt, role: 'owner' as const, who: WHO.owner, status: attempt.ok },
  ]);

  it.each(escalations)('When $who $does, then $status', async ({ role, send, status }) => {
    const org = await organization();
    const res = await send(org, org.members[role].auth);
    expect(res.status).toBe(status);
    if (status === 403) expectProblem(res, 403, 'forbidden');
  });

  it('When an admin is refused promoting a member to owner, then the member keeps its role', async () => {
    const org = await organization();
    expect((await patch(org.target.member, org.members.admin.auth, { role: 'owner' })).status).toBe(403);
    expect((await get(org.target.member, org.creator.auth)).body.role).toBe('member');
  });
});

describe('Own membership: nobody changes their own role, anybody may leave, but not the last owner', () => {
  const everyRole = ROLES.map((role) => ({ role, who: WHO[role] }));

  it.each(everyRole)('When $who PATCHes their own role, then 403 and the role stays', async ({ role }) => {
    const org = await organization();
    const me = org.members[role];
    const res = await patch(me.member, me.auth, { role: role === 'member' ? 'billing' : 'member' });
    expectProblem(res, 403, 'forbidden');
    expect((await get(me.member, org.creator.auth)).body.role).toBe(role);
  });

  it.each(everyRole)('When $who DELETEs their own membership, then 204 and the organization is gone for them', async ({ role }) => {
    const org = await organization();
    const me = org.members[role];
    expect((await del(me.member, me.auth)).status).toBe(204);
    expectProblem(await get(org.path, me.auth), 404, 'not-found');
    expect((await get(me.member, org.creator.auth)).status).toBe(404);
  });

  it('When the last owner DELETEs their own membership, then 409 last-owner and they stay owner', async () => {
    const creator = await api.partner();
    const created = await post('/api/organizations', creator.auth, { name: 'One Owner' });
    expect(created.status).toBe(201);
    const mine = `${created.body['@id']}/members/${created.body.owners[0].id}`;
    expectProblem(await del(mine, creator.auth), 409, 'last-owner');
    expect((await get(mine, creator.auth)).body.role).toBe('owner');
  });

  it('When one of two owners leaves, then 204, and the remaining owner may no longer leave (409)', async () => {
    const org = await organization();
    expect((await del(org.members.owner.member, org.members.owner.auth)).status).toBe(204);
    expectProblem(await del(org.creator.member, org.creator.auth), 409, 'last-owner');
  });
});

describe('members_can_invite lets the roles without invitation:create invite plain members', () => {
  const inviters = ROLES.filter((role) => !may(role, 'invitation:create')).map((role) => ({ role, who: WHO[role] }));

  it.each(inviters)('When the owner turns members_can_invite on, then $who may invite as member (201) but not as admin (403)', async ({ role }) => {
    const org = await organization();
    const auth = org.members[role].auth;
    expectProblem(await post(`${org.path}/invitations`, auth, { email: freshEmail(), role: 'member' }), 403, 'forbidden');
    const on = await patch(org.path, org.creator.auth, { members_can_invite: true });
    expect(on.status).toBe(200);
    expect(on.body.members_can_invite).toBe(true);
    const asMember = await post(`${org.path}/invitations`, auth, { email: freshEmail(), role: 'member' });
    expect(asMember.status).toBe(201);
    expect(asMember.body.role).toBe('member');
    expectProblem(await post(`${org.path}/invitations`, auth, { email: freshEmail(), role: 'admin' }), 403, 'forbidden');
  });
});

/**
 * An installed integration's matrix: installed with one scope, it may do exactly the actions
 * that scope covers (SCOPE_ACTIONS), on plain members only (INTEGRATION_RANK); anything
 * another scope covers is a 403 naming it, and what no scope covers (the audit trail, other
 * installations) or a higher role needs, a plain 403.
 */
describe('An installed integration, scope by scope and operation by operation', () => {
  const integrationExpected = (scope: Scope, op: Operation) => (SCOPE_ACTIONS[scope].includes(op.action) && mayAssign(INTEGRATION_RANK, op.role ?? 'member') ? op.ok : 403);
  const integrationCases = SCOPES.flatMap((scope) =>
    OPERATIONS.map((op) => ({ name: `When an integration granted only ${scope} ${op.does}, then ${integrationExpected(scope, op)}`, scope, op, status: integrationExpected(scope, op) })),
  );

  it('When SCOPE_ACTIONS maps a scope, then every action it names is in the PERMISSIONS table', () => {
    for (const actions of Object.values(SCOPE_ACTIONS)) for (const action of actions) expect(Object.keys(PERMISSIONS)).toContain(action);
  });

  it.each(integrationCases)('$name', async ({ scope, op, status }) => {
    const org = await organization();
    const integration = await api.partner();
    const installed = await post(`${org.path}/integrations`, org.creator.auth, { partner: integration.email, scopes: [scope] });
    expect(installed.status).toBe(201);
    const res = await op.send(org, integration.auth);
    expect(res.status).toBe(status);
    if (status === 403) {
      const covering = SCOPE_ACTIONS[scope].includes(op.action) ? undefined : scopeCovering(op.action);
      expectProblem(res, 403, covering ? 'scope-not-granted' : 'forbidden');
      if (covering) expect(res.body.detail).toContain(covering);
    }
  });
});
