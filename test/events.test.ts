import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AUDIT_ACTIONS } from '../src/resources/audit/audit.description.js';
import { issueToken } from '../src/resources/partner/partner-use-cases.js';
import { everyKindOfChange, patch, post } from './support/every-change.js';
import { startApi, type Api } from './support/harness.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

type Auth = Record<string, string>;
type Node = Record<string, any>;

/** Every event the caller may read, walking hydra:next from the start (or from a cursor URL), bounded. */
async function feed(auth: Auth, from = '/api/events?itemsPerPage=7'): Promise<{ events: Node[]; resumeAt: string }> {
  const events: Node[] = [];
  let url: string | undefined = from;
  let resumeAt = from;
  for (let pages = 0; url && pages < 200; pages++) {
    const res: { status: number; body: Node } = await api.http().get(url).set(auth);
    expect(res.status).toBe(200);
    events.push(...res.body['hydra:member']);
    resumeAt = url;
    url = res.body['hydra:view']['hydra:next'];
  }
  expect(url).toBeUndefined();
  return { events, resumeAt };
}

describe('The events feed', () => {
  it('When an organization goes through every kind of change, then each yields exactly one event, oldest first, with the changed resource as it was', async () => {
    const owner = await api.partner();
    const stranger = await api.partner();
    const { org, member, added } = await everyKindOfChange(api, owner, 'Eventful');

    const { events } = await feed(owner.auth);
    const types = events.map((e) => e.type);
    expect(types).toEqual([
      'organization.created',
      'organization.updated',
      'member.added',
      'member.role_changed',
      'member.removed',
      'invitation.created',
      'invitation.accepted',
      'invitation.created',
      'invitation.revoked',
      'member.joined',
      'member.left',
      'integration.installed',
      'integration.changed',
      'integration.disconnected',
      'organization.deleted',
    ]);
    expect(new Set(types)).toEqual(new Set(AUDIT_ACTIONS));
    const sequences = events.map((e) => e.sequence);
    expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    for (const e of events) expect(e).toMatchObject({ '@type': 'Event', '@id': `/api/events/${e.id}`, organization: org['@id'] });
    expect(events[2].data).toEqual({ '@id': member['@id'], '@type': 'Member', email: added.email, role: 'member' });
    expect(events[3].data).toMatchObject({ '@id': member['@id'], role: 'admin' });
    expect(events[14].data).toMatchObject({ '@id': org['@id'], '@type': 'Organization', name: 'Eventful Inc' });
    const one = await api.http().get(events[0]['@id']).set(owner.auth);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ '@context': '/api/contexts/Event', id: events[0].id, type: 'organization.created' });

    // Nobody else: a stranger sees none of it, not even by id.
    expect((await feed(stranger.auth)).events).toEqual([]);
    expect((await api.http().get(events[0]['@id']).set(stranger.auth)).status).toBe(404);
  });

  it('When a client resumes from the cursor it last followed, then it gets exactly the events committed since, none missed', async () => {
    const owner = await api.partner();
    const org = await post(api, owner.auth, '/api/organizations', { name: 'Resumed' });
    const first = await feed(owner.auth, `/api/events?organization=${org.id}&itemsPerPage=2`);
    expect(first.events.map((e) => e.type)).toEqual(['organization.created']);
    const last = (await api.http().get(first.resumeAt).set(owner.auth)).body['hydra:view']['hydra:next'] as string | undefined;
    const resumeFrom = last ?? first.resumeAt;
    const names = Array.from({ length: 9 }, (_, n) => `Resumed ${n}`);
    for (const name of names) await patch(api, owner.auth, org['@id'], { name });
    const rest = await feed(owner.auth, resumeFrom);
    const seen = [...first.events, ...rest.events.filter((e) => !first.events.some((f) => f.id === e.id))];
    expect(seen.map((e) => e.type)).toEqual(['organization.created', ...names.map(() => 'organization.updated')]);
    expect(rest.events.filter((e) => e.type === 'organization.updated').map((e) => e.data.name)).toEqual(names);
  });

  it('When a poller follows the feed while many organizations change at once, then it gets every event exactly once, numbered without gaps, each organization\'s in the order of its changes', async () => {
    // A server of its own, so that this owner's events are every event there is and the numbers can be checked for gaps.
    const alone = await startApi({ rateLimits: { perCredential: 0, anonymous: 0 } });
    try {
      const owner = await alone.partner();
      const orgs: Node[] = [];
      for (let n = 0; n < 12; n++) orgs.push(await post(alone, owner.auth, '/api/organizations', { name: `Busy ${n}` }));
      let writing = true;
      const writes = Promise.all(
        orgs.map(async (org, n) => {
          for (let k = 0; k < 10; k++) await patch(alone, owner.auth, org['@id'], { name: `Busy ${n}.${k}` });
        }),
      ).finally(() => (writing = false));
      const seen: Node[] = [];
      let url = '/api/events?itemsPerPage=5';
      for (let polls = 0; polls < 20_000; polls++) {
        const wasWriting = writing;
        const res = await alone.http().get(url).set(owner.auth);
        expect(res.status).toBe(200);
        seen.push(...res.body['hydra:member']);
        url = res.body['hydra:view']['hydra:next'] ?? url;
        // An empty page read after the last write answered: everything has been seen.
        if (res.body['hydra:member'].length === 0 && !wasWriting) break;
      }
      await writes;
      expect(seen.length).toBe(12 * 11);
      expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
      expect(seen.map((e) => e.sequence)).toEqual(seen.map((_, i) => seen[0].sequence + i));
      for (const [n, org] of orgs.entries()) {
        const names = seen.filter((e) => e.organization === org['@id']).map((e) => e.data.name);
        expect(names).toEqual([`Busy ${n}`, ...Array.from({ length: 10 }, (_, k) => `Busy ${n}.${k}`)]);
      }
    } finally {
      await alone.close();
    }
  }, 60_000);

  it('When the feed is filtered by type and by organization, then only those events are listed', async () => {
    const owner = await api.partner();
    const other = await post(api, owner.auth, '/api/organizations', { name: 'Other' });
    const org = await post(api, owner.auth, '/api/organizations', { name: 'Filtered' });
    await patch(api, owner.auth, org['@id'], { name: 'Filtered 2' });
    expect((await feed(owner.auth, `/api/events?organization=${org.id}`)).events.map((e) => e.type)).toEqual(['organization.created', 'organization.updated']);
    expect((await feed(owner.auth, '/api/events?type=organization.created')).events.map((e) => e.organization)).toEqual([other['@id'], org['@id']]);
    expect((await feed(owner.auth, '/api/events?organization=not-an-id')).events).toEqual([]);
    expect((await api.http().get('/api/events?type=nothing.happened').set(owner.auth)).status).toBe(400);
  });

  it('When an integration lacks member:read, or a token lacks a scope, then it sees no events of that kind; an integration never sees integration events', async () => {
    const owner = await api.partner();
    const [crm, newcomer] = await Promise.all([api.partner(), api.partner()]);
    const org = await post(api, owner.auth, '/api/organizations', { name: 'Scoped' });
    await post(api, owner.auth, org.integrations, { partner: crm.email, scopes: ['organization:read'] });
    await post(api, owner.auth, org.all_members, { email: newcomer.email, role: 'member' });
    await patch(api, owner.auth, org['@id'], { name: 'Scoped 2' });
    expect((await feed(crm.auth)).events.map((e) => e.type)).toEqual(['organization.created', 'organization.updated']);

    const limited = await api.partner();
    await post(api, owner.auth, org.all_members, { email: limited.email, role: 'member' });
    const { token } = await issueToken(api.db, limited.email, { scopes: ['organization:read'] });
    const types = (await feed({ Authorization: `Bearer ${token}` })).events.map((e) => e.type);
    // The integrations collection is the role's alone (no scope covers it), so that token still sees the installation.
    expect(types).toEqual(['organization.created', 'integration.installed', 'organization.updated']);
  });
});
