import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPartner } from '../src/resources/partner/partner-use-cases.js';
import { startApi, type Api } from './support/harness.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// Run on SQLite and on PostgreSQL, these show the two engines answer alike.
describe(`The same behaviour on every engine (${process.env.DATABASE_URL?.startsWith('postgres') ? 'PostgreSQL' : 'SQLite'} here)`, () => {
  it('When two partners have the same email in different case, then the second is refused', async () => {
    await createPartner(api.db, { email: 'Parity.Case@Example.COM', name: 'First' });
    await expect(createPartner(api.db, { email: 'parity.case@example.com', name: 'Second' })).rejects.toMatchObject({ slug: 'conflict' });
  });

  it('When an expiry is given with a time-zone offset, then it is stored as that instant and returned in UTC with milliseconds', async () => {
    const owner = await api.partner();
    const org = (await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Time Zones' })).body;
    const local = new Date(Date.now() + 3 * 86_400_000);
    const offset = `${local.toISOString().slice(0, 19)}+02:00`;
    const res = await api.http().post(org.invitations).set(owner.auth).send({ email: 'tz@example.com', role: 'member', expires_at: offset });
    expect(res.status).toBe(201);
    expect(res.body.expires_at).toMatch(ISO_UTC);
    expect(Date.parse(res.body.expires_at)).toBe(Date.parse(offset));
    const read = await api.http().get(res.body['@id']).set(owner.auth);
    expect(read.body.expires_at).toBe(res.body.expires_at);
    for (const at of [org.created_at, org.updated_at, org.owners[0].joined_at, read.body.created_at]) expect(at).toMatch(ISO_UTC);
  });

  it('When ids are handed out, then they are lower-case UUIDs, and the same id in upper case names nothing', async () => {
    const owner = await api.partner();
    const org = (await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Uuid Case' })).body;
    for (const id of [org.id, org.owners[0].id]) expect(id).toMatch(UUID);
    expect((await api.http().get(`/api/organizations/${org.id}`).set(owner.auth)).status).toBe(200);
    expect((await api.http().get(`/api/organizations/${org.id.toUpperCase()}`).set(owner.auth)).status).toBe(404);
  });

  it('When organizations are created in a row, then the collection lists them oldest first, ties broken alike', async () => {
    const owner = await api.partner();
    const names = ['one', 'two', 'three', 'four'];
    for (const name of names) await api.http().post('/api/organizations').set(owner.auth).send({ name });
    const listed = (await api.http().get('/api/organizations').set(owner.auth)).body['hydra:member'];
    const key = (o: { created_at: string; id: string }) => `${o.created_at} ${o.id}`;
    const byTime = [...listed].sort((a, b) => (key(a) < key(b) ? -1 : 1));
    expect(listed.map((o: { id: string }) => o.id)).toEqual(byTime.map((o: { id: string }) => o.id));
  });
});
