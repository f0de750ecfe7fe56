import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApi, type Api } from './support/harness.js';
import { expand } from './support/jsonld.js';
import { VOCABULARY } from '../src/resources/description.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const MERGE_PATCH = 'application/merge-patch+json';
type Event = { action: string; actor: { id: string; email: string }; target: string; before?: Record<string, unknown>; after?: Record<string, unknown>; at: string };

async function trail(url: string, auth: Record<string, string>, query = ''): Promise<Event[]> {
  const res = await api.http().get(`${url}?itemsPerPage=100${query}`).set(auth);
  expect(res.status).toBe(200);
  return res.body['hydra:member'];
}

describe('The audit trail', () => {
  it('When an organization lives through its changes, then each is recorded with who, what, when and before/after, newest first', async () => {
    const owner = await api.partner();
    const admin = await api.partner();
    const invitee = await api.partner();
    // A few milliseconds between changes: the trail is ordered by time.
    const step = () => new Promise((resolve) => setTimeout(resolve, 3));
    const org = (await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Audited' })).body;
    await step();
    await api.http().patch(org['@id']).set(owner.auth).set('Content-Type', MERGE_PATCH).send('{"name": "Audited Inc", "max_members": 5}');
    await step();
    const member = (await api.http().post(org.all_members).set(owner.auth).send({ email: admin.email, role: 'member' })).body;
    await step();
    await api.http().patch(member['@id']).set(owner.auth).set('Content-Type', MERGE_PATCH).send('{"role": "admin"}');
    await step();
    const invitation = (await api.http().post(org.invitations).set(admin.auth).send({ email: invitee.email, role: 'billing' })).body;
    await step();
    await api.http().post(invitation.accept).set(invitee.auth);
    await step();
    await api.http().delete(member['@id']).set(admin.auth);

    const events = await trail(org.audit_events, owner.auth);
    expect(events.map((e) => e.action)).toEqual(['member.left', 'invitation.accepted', 'invitation.created', 'member.role_changed', 'member.added', 'organization.updated', 'organization.created']);
    const [left, accepted, invited, roleChanged, added, updated, created] = events;
    expect(created).toMatchObject({ actor: { id: owner.id, email: owner.email }, target: org['@id'], after: { name: 'Audited', max_members: 0 } });
    expect(updated).toMatchObject({ before: { name: 'Audited', max_members: 0 }, after: { name: 'Audited Inc', max_members: 5 } });
    expect(added).toMatchObject({ target: member['@id'], after: { email: admin.email, role: 'member' } });
    expect(roleChanged).toMatchObject({ actor: { id: owner.id }, before: { role: 'member' }, after: { role: 'admin' } });
    expect(invited).toMatchObject({ actor: { id: admin.id }, target: invitation['@id'], after: { email: invitee.email, role: 'billing' } });
    expect(accepted).toMatchObject({ actor: { id: invitee.id }, before: { status: 'pending' }, after: { status: 'accepted', role: 'billing' } });
    expect(left).toMatchObject({ actor: { id: admin.id }, before: { role: 'admin' } });
    const times = events.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
    expect((await trail(org.audit_events, owner.auth, '&action=member.role_changed')).map((e) => e.action)).toEqual(['member.role_changed']);
  });

  it('When a change is refused, then nothing is recorded', async () => {
    const owner = await api.partner();
    const org = (await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Refused Changes' })).body;
    expect((await api.http().delete(org.owners[0]['@id']).set(owner.auth)).status).toBe(409);
    expect((await api.http().patch(org['@id']).set(owner.auth).set('Content-Type', MERGE_PATCH).send('{"name": ""}')).status).toBe(422);
    expect((await trail(org.audit_events, owner.auth)).map((e) => e.action)).toEqual(['organization.created']);
  });

  it('When someone other than an owner asks for the trail, then 403 for members and 404 for strangers', async () => {
    const owner = await api.partner();
    const admin = await api.partner();
    const stranger = await api.partner();
    const org = (await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Owners Only' })).body;
    await api.http().post(org.all_members).set(owner.auth).send({ email: admin.email, role: 'admin' });
    expect((await api.http().get(org.audit_events).set(admin.auth)).status).toBe(403);
    expect((await api.http().get(org.audit_events).set(stranger.auth)).status).toBe(404);
  });

  it('When an event is expanded as JSON-LD, then its keys expand and before/after are JSON literals', async () => {
    const owner = await api.partner();
    const org = (await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Linked Trail' })).body;
    const [event] = await trail(org.audit_events, owner.auth);
    const read = await api.http().get((event as unknown as { '@id': string })['@id']).set(owner.auth);
    expect(read.status).toBe(200);
    const [node] = await expand(api, read.body, read.body['@id']);
    expect(node[`${VOCABULARY}after`][0]['@type']).toBe('@json');
    expect(node[`${VOCABULARY}target`]).toEqual([{ '@id': `${api.base}${org['@id']}` }]);
  });
});
