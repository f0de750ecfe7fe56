import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApi, type Api } from './support/harness.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const MERGE_PATCH = 'application/merge-patch+json';
const DAY = 86_400_000;
type Caller = Awaited<ReturnType<Api['partner']>>;

async function organization(owner: Caller, body: object = {}) {
  const res = await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Inviting Co', ...body });
  expect(res.status).toBe(201);
  return res.body;
}

async function invite(org: { invitations: string }, by: Caller, body: object) {
  const res = await api.http().post(org.invitations).set(by.auth).send(body);
  expect(res.status).toBe(201);
  return res.body;
}

const accept = (invitation: { accept: string }, by: Caller) => api.http().post(invitation.accept).set(by.auth);

describe('Sending an invitation', () => {
  it('When an owner invites by email, then 201 with a pending Invitation that expires in 7 days', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const res = await api.http().post(org.invitations).set(owner.auth).send({ email: ' New.Person@Example.COM ', role: 'admin' });
    expect(res.status).toBe(201);
    expect(res.body['@context']).toBe('/api/contexts/Invitation');
    expect(res.body['@type']).toBe('Invitation');
    expect(res.body['@id']).toBe(`${org.invitations}/${res.body.id}`);
    expect(res.headers.location).toBe(api.base + res.body['@id']);
    expect(res.body).toMatchObject({ email: 'New.Person@example.com', role: 'admin', status: 'pending', organization: org['@id'], organization_name: 'Inviting Co' });
    expect(res.body.created_by).toEqual({ '@type': 'Partner', id: owner.id, email: owner.email, name: owner.name });
    expect(Date.parse(res.body.expires_at) - Date.parse(res.body.created_at)).toBe(7 * DAY);
    expect(res.body.accept).toBe(`${res.body['@id']}/accept`);
    expect(res.body.revoke).toBe(`${res.body['@id']}/revoke`);
    expect(res.body).not.toHaveProperty('accepted_at');
  });

  it('When expires_at is in the past or more than 30 days ahead, then 422 on expires_at', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    for (const when of [new Date(Date.now() - DAY), new Date(Date.now() + 31 * DAY)]) {
      const res = await api.http().post(org.invitations).set(owner.auth).send({ email: 'late@example.com', role: 'member', expires_at: when.toISOString() });
      expect(res.status).toBe(422);
      expect(res.body.violations).toEqual([expect.objectContaining({ propertyPath: 'expires_at' })]);
    }
    const ok = await invite(org, owner, { email: 'late@example.com', role: 'member', expires_at: new Date(Date.now() + 2 * DAY).toISOString() });
    expect(ok.status).toBe('pending');
  });

  it('When the email is invalid and the role unknown, then 422 lists both, and nothing is stored', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const res = await api.http().post(org.invitations).set(owner.auth).send({ email: 'no at sign', role: 'boss' });
    expect(res.status).toBe(422);
    expect(res.body.violations.map((v: { propertyPath: string }) => v.propertyPath).sort()).toEqual(['email', 'role']);
    expect((await api.http().get(org.invitations).set(owner.auth)).body['hydra:totalItems']).toBe(0);
  });

  it('When the same email is invited twice, in any case, then the second is 409', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    await invite(org, owner, { email: 'twice@example.com', role: 'member' });
    const res = await api.http().post(org.invitations).set(owner.auth).send({ email: 'twice@EXAMPLE.com', role: 'admin' });
    expect(res.status).toBe(409);
    expect(res.body.type).toMatch(/\/api\/errors\/invitation-pending$/);
  });

  it('When the same email is invited twice at the same moment, then exactly one invitation is created', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const results = await Promise.all(Array.from({ length: 4 }, () => api.http().post(org.invitations).set(owner.auth).send({ email: 'race@example.com', role: 'member' })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect((await api.http().get(org.invitations).set(owner.auth)).body['hydra:totalItems']).toBe(1);
  });

  it('When the invitee is already a member, then 409', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const res = await api.http().post(org.invitations).set(owner.auth).send({ email: owner.email.toUpperCase(), role: 'member' });
    expect(res.status).toBe(409);
    expect(res.body.type).toMatch(/\/api\/errors\/already-member$/);
  });

  it('When invites_enabled is false, then 409 that says so', async () => {
    const owner = await api.partner();
    const org = await organization(owner, { invites_enabled: false });
    const res = await api.http().post(org.invitations).set(owner.auth).send({ email: 'closed@example.com', role: 'member' });
    expect(res.status).toBe(409);
    expect(res.body.type).toMatch(/\/api\/errors\/invitations-disabled$/);
    expect(res.body.detail).toContain('invites_enabled');
  });
});

describe('Accepting an invitation', () => {
  it('When the invitee follows /api/me to its pending invitation and accepts, then it becomes a member with the invited role', async () => {
    const owner = await api.partner();
    const invitee = await api.partner('Invited Partner');
    const org = await organization(owner);
    await invite(org, owner, { email: invitee.email.toUpperCase(), role: 'billing' });

    const me = await api.http().get('/api').set(invitee.auth).then((r) => api.http().get(r.body.me).set(invitee.auth));
    expect(me.body).toMatchObject({ '@id': '/api/me', '@type': 'Partner', id: invitee.id, email: invitee.email, name: 'Invited Partner', organizations: '/api/organizations' });
    const pending = await api.http().get(me.body.invitations).set(invitee.auth);
    expect(pending.body['hydra:totalItems']).toBe(1);
    const invitation = pending.body['hydra:member'][0];
    expect(invitation).toMatchObject({ organization: org['@id'], organization_name: 'Inviting Co', role: 'billing', status: 'pending' });
    expect((await api.http().get(invitation['@id']).set(invitee.auth)).status).toBe(200);

    const res = await accept(invitation, invitee);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'accepted', accepted_by: { id: invitee.id } });
    expect(res.body.accepted_at).toMatch(/Z$/);
    expect(res.body).not.toHaveProperty('accept');
    const read = await api.http().get(org['@id']).set(invitee.auth);
    expect(read.status).toBe(200);
    expect(read.body.members.find((m: { email: string }) => m.email === invitee.email).role).toBe('billing');
    expect((await api.http().get(me.body.invitations).set(invitee.auth)).body['hydra:totalItems']).toBe(0);
  });

  it('When someone other than the invitee accepts, or reads it, then 404 and nothing changes', async () => {
    const owner = await api.partner();
    const stranger = await api.partner();
    const org = await organization(owner);
    const invitation = await invite(org, owner, { email: 'someone@example.com', role: 'member' });
    expect((await accept(invitation, stranger)).status).toBe(404);
    expect((await api.http().get(invitation['@id']).set(stranger.auth)).status).toBe(404);
    expect((await accept(invitation, owner)).status).toBe(404);
    expect((await api.http().get(invitation['@id']).set(owner.auth)).body.status).toBe('pending');
  });

  it('When an accepted invitation is accepted again, then 409 and still one membership', async () => {
    const owner = await api.partner();
    const invitee = await api.partner();
    const org = await organization(owner);
    const invitation = await invite(org, owner, { email: invitee.email, role: 'member' });
    expect((await accept(invitation, invitee)).status).toBe(200);
    const again = await accept(invitation, invitee);
    expect(again.status).toBe(409);
    expect(again.body.type).toMatch(/\/api\/errors\/invitation-not-pending$/);
    expect((await api.http().get(org['@id']).set(owner.auth)).body.member_count).toBe(2);
  });

  it('When the invitee accepts twice at the same moment, then exactly one membership is created', async () => {
    const owner = await api.partner();
    const invitee = await api.partner();
    const org = await organization(owner);
    const invitation = await invite(org, owner, { email: invitee.email, role: 'member' });
    const results = await Promise.all(Array.from({ length: 4 }, () => accept(invitation, invitee)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    const members = await api.http().get(org.all_members).set(owner.auth);
    expect(members.body['hydra:member'].filter((m: { email: string }) => m.email === invitee.email)).toHaveLength(1);
    expect(members.body['hydra:totalItems']).toBe(2);
  });

  it('When an invitation has expired, then accepting is 410 Gone, and the email may be invited again', async () => {
    const owner = await api.partner();
    const invitee = await api.partner();
    const org = await organization(owner);
    const invitation = await invite(org, owner, { email: invitee.email, role: 'member' });
    await api.db.transaction((tx) => tx.run('UPDATE invitation SET expires_at = ? WHERE id = ?', [new Date(Date.now() - 1000).toISOString(), invitation.id]));
    const res = await accept(invitation, invitee);
    expect(res.status).toBe(410);
    expect(res.body.type).toMatch(/\/api\/errors\/invitation-expired$/);
    expect((await api.http().get(`${org.invitations}?status=expired`).set(owner.auth)).body['hydra:totalItems']).toBe(1);
    const fresh = await invite(org, owner, { email: invitee.email, role: 'admin' });
    expect((await accept(fresh, invitee)).status).toBe(200);
  });
});

describe('Accepting within max_members', () => {
  const setMaxMembers = (org: { '@id': string }, owner: Caller, max: number) =>
    api.http().patch(org['@id']).set(owner.auth).set('Content-Type', MERGE_PATCH).send(JSON.stringify({ max_members: max }));
  const inviteEach = async (org: { invitations: string }, owner: Caller, invitees: Caller[]) => {
    const invitations = [];
    for (const invitee of invitees) invitations.push(await invite(org, owner, { email: invitee.email, role: 'member' }));
    return invitations;
  };
  const memberCount = async (org: { '@id': string }, owner: Caller) => (await api.http().get(org['@id']).set(owner.auth)).body.member_count;

  it('When members plus pending invitations fill max_members exactly, then every pending invitation may still be accepted', async () => {
    const owner = await api.partner();
    const org = await organization(owner, { max_members: 3 });
    const invitees = [await api.partner(), await api.partner()];
    const invitations = await inviteEach(org, owner, invitees);
    for (const [i, invitee] of invitees.entries()) expect((await accept(invitations[i], invitee)).status).toBe(200);
    expect(await memberCount(org, owner)).toBe(3);
  });

  it('When max_members is lowered below members plus pending invitations, then invitations are accepted until the members reach it, and the next is 409 organization-full and stays pending', async () => {
    const owner = await api.partner();
    const org = await organization(owner, { max_members: 4 });
    const invitees = [await api.partner(), await api.partner(), await api.partner()];
    const invitations = await inviteEach(org, owner, invitees);
    expect((await setMaxMembers(org, owner, 2)).status).toBe(200);

    expect((await accept(invitations[0], invitees[0])).status).toBe(200);
    const refused = await accept(invitations[1], invitees[1]);
    expect(refused.status).toBe(409);
    expect(refused.type).toBe('application/problem+json');
    expect(refused.body.type).toMatch(/\/api\/errors\/organization-full$/);
    expect(refused.body.detail).toBe('The organization is full: its max_members is 2 and it has 2 members and 2 pending invitations.');
    expect((await accept(invitations[2], invitees[2])).status).toBe(409);
    expect(await memberCount(org, owner)).toBe(2);
    expect((await api.http().get(invitations[1]['@id']).set(owner.auth)).body.status).toBe('pending');

    expect((await setMaxMembers(org, owner, 3)).status).toBe(200);
    expect((await accept(invitations[1], invitees[1])).status).toBe(200);
    expect(await memberCount(org, owner)).toBe(3);
  });

  it('When two invitees accept at the same moment for the last place, then exactly one becomes a member', async () => {
    const owner = await api.partner();
    const org = await organization(owner, { max_members: 3 });
    const invitees = [await api.partner(), await api.partner()];
    const invitations = await inviteEach(org, owner, invitees);
    expect((await setMaxMembers(org, owner, 2)).status).toBe(200);
    const results = await Promise.all(invitees.map((invitee, i) => accept(invitations[i], invitee)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await memberCount(org, owner)).toBe(2);
  });

  it('When the organization is full with one member or one pending invitation, then the detail counts them in the singular', async () => {
    const owner = await api.partner();
    const alone = await organization(owner, { max_members: 1 });
    const one = await api.http().post(alone.invitations).set(owner.auth).send({ email: 'nobody@full.example', role: 'member' });
    expect(one.status).toBe(409);
    expect(one.body.detail).toBe('The organization is full: its max_members is 1 and it has 1 member.');
    const pair = await organization(owner, { max_members: 2 });
    await invite(pair, owner, { email: 'first@full.example', role: 'member' });
    const two = await api.http().post(pair.invitations).set(owner.auth).send({ email: 'second@full.example', role: 'member' });
    expect(two.status).toBe(409);
    expect(two.body.detail).toBe('The organization is full: its max_members is 2 and it has 1 member and 1 pending invitation.');
  });
});

describe('Revoking and listing invitations', () => {
  it('When an admin revokes a pending invitation, then it is revoked, by whom, and can no longer be accepted', async () => {
    const owner = await api.partner();
    const admin = await api.partner();
    const invitee = await api.partner();
    const org = await organization(owner);
    await api.http().post(org.all_members).set(owner.auth).send({ email: admin.email, role: 'admin' });
    const invitation = await invite(org, owner, { email: invitee.email, role: 'member' });
    const res = await api.http().post(invitation.revoke).set(admin.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'revoked', revoked_by: { id: admin.id, email: admin.email } });
    expect(res.body).not.toHaveProperty('revoke');
    expect((await accept(invitation, invitee)).status).toBe(409);
    expect((await api.http().post(invitation.revoke).set(admin.auth)).status).toBe(409);
    expect((await api.http().get(org['@id']).set(owner.auth)).body.member_count).toBe(2);
  });

  it('When invitations are listed by status, then only that status; a bad status is 400', async () => {
    const owner = await api.partner();
    const invitee = await api.partner();
    const org = await organization(owner);
    const kept = await invite(org, owner, { email: 'kept@example.com', role: 'member' });
    const revoked = await invite(org, owner, { email: 'revoked@example.com', role: 'member' });
    const accepted = await invite(org, owner, { email: invitee.email, role: 'member' });
    await api.http().post(revoked.revoke).set(owner.auth);
    await accept(accepted, invitee);
    const ids = async (status: string) => (await api.http().get(`${org.invitations}?status=${status}`).set(owner.auth)).body['hydra:member'].map((i: { id: string }) => i.id);
    expect(await ids('pending')).toEqual([kept.id]);
    expect(await ids('revoked')).toEqual([revoked.id]);
    expect(await ids('accepted')).toEqual([accepted.id]);
    expect((await api.http().get(org.invitations).set(owner.auth)).body['hydra:totalItems']).toBe(3);
    const bad = await api.http().get(`${org.invitations}?status=lost`).set(owner.auth);
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('"status"');
  });

  it('When a plain member may invite (members_can_invite), then as member only', async () => {
    const owner = await api.partner();
    const member = await api.partner();
    const org = await organization(owner);
    await api.http().post(org.all_members).set(owner.auth).send({ email: member.email, role: 'member' });
    expect((await api.http().post(org.invitations).set(member.auth).send({ email: 'x@example.com', role: 'member' })).status).toBe(403);
    await api.http().patch(org['@id']).set(owner.auth).set('Content-Type', MERGE_PATCH).send('{"members_can_invite": true}');
    expect((await api.http().post(org.invitations).set(member.auth).send({ email: 'x@example.com', role: 'member' })).status).toBe(201);
    expect((await api.http().post(org.invitations).set(member.auth).send({ email: 'y@example.com', role: 'admin' })).status).toBe(403);
  });
});
