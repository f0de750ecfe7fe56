import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApi, type Api } from './support/harness.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const MERGE_PATCH = 'application/merge-patch+json';
type Caller = Awaited<ReturnType<Api['partner']>>;

async function organization(owner: Caller) {
  const res = await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Versioned' });
  expect(res.status).toBe(201);
  return res.body;
}

const rename = (url: string, who: Caller, name: string, tag?: string) => {
  const req = api.http().patch(url).set(who.auth).set('Content-Type', MERGE_PATCH);
  if (tag) req.set('If-Match', tag);
  return req.send(JSON.stringify({ name }));
};

describe('ETags and conditional requests', () => {
  it('When a resource is read twice, then it has a strong ETag, and If-None-Match with it gives 304 without a body', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const first = await api.http().get(org['@id']).set(owner.auth);
    expect(first.headers.etag).toMatch(/^"[\w.-]+"$/);
    const again = await api.http().get(org['@id']).set(owner.auth).set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(304);
    expect(again.text).toBeFalsy();
    const collection = await api.http().get('/api/organizations').set(owner.auth);
    expect(collection.headers.etag).toMatch(/^"[\w.-]+"$/);
    const asJson = await api.http().get(org['@id']).set(owner.auth).set('Accept', 'application/json');
    expect(asJson.headers.etag).not.toBe(first.headers.etag);
  });

  it('When two clients edit the same organization, then the second, holding a stale ETag, gets 412 and nothing is overwritten', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const tag = (await api.http().get(org['@id']).set(owner.auth)).headers.etag;
    const first = await rename(org['@id'], owner, 'First Writer', tag);
    expect(first.status).toBe(200);
    expect(first.headers.etag).not.toBe(tag);
    const second = await rename(org['@id'], owner, 'Second Writer', tag);
    expect(second.status).toBe(412);
    expect(second.type).toBe('application/problem+json');
    expect(second.body.type).toMatch(/\/api\/errors\/precondition-failed$/);
    expect((await api.http().get(org['@id']).set(owner.auth)).body.name).toBe('First Writer');
    expect((await rename(org['@id'], owner, 'Second Writer', first.headers.etag)).status).toBe(200);
  });

  it('When If-Match carries the ETag of the plain JSON representation, or *, then it matches the same state', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const jsonTag = (await api.http().get(org['@id']).set(owner.auth).set('Accept', 'application/json')).headers.etag;
    expect((await rename(org['@id'], owner, 'Via Json Tag', jsonTag)).status).toBe(200);
    expect((await rename(org['@id'], owner, 'Via Star', '*')).status).toBe(200);
  });

  it('When If-Match is a weak ETag, then it never matches (strong comparison)', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const tag = (await api.http().get(org['@id']).set(owner.auth)).headers.etag;
    expect((await rename(org['@id'], owner, 'Weak', `W/${tag}`)).status).toBe(412);
  });

  it('When a member joins, then the organization ETag changes, since its representation did', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const tag = (await api.http().get(org['@id']).set(owner.auth)).headers.etag;
    await api.http().post(org.all_members).set(owner.auth).send({ email: (await api.partner()).email, role: 'member' });
    expect((await rename(org['@id'], owner, 'Stale', tag)).status).toBe(412);
  });

  it('When DELETE or a member PATCH carries a stale ETag, then 412 and nothing changes; with the current one, it proceeds', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    const member = (await api.http().post(org.all_members).set(owner.auth).send({ email: (await api.partner()).email, role: 'member' })).body;
    const memberTag = (await api.http().get(member['@id']).set(owner.auth)).headers.etag;
    const promote = (role: string, tag: string) => api.http().patch(member['@id']).set(owner.auth).set('Content-Type', MERGE_PATCH).set('If-Match', tag).send(JSON.stringify({ role }));
    expect((await promote('admin', memberTag)).status).toBe(200);
    expect((await promote('billing', memberTag)).status).toBe(412);
    expect((await api.http().get(member['@id']).set(owner.auth)).body.role).toBe('admin');

    const orgTag = (await api.http().get(org['@id']).set(owner.auth)).headers.etag;
    await rename(org['@id'], owner, 'Changed Meanwhile');
    expect((await api.http().delete(org['@id']).set(owner.auth).set('If-Match', orgTag)).status).toBe(412);
    expect((await api.http().get(org['@id']).set(owner.auth)).status).toBe(200);
    const current = (await api.http().get(org['@id']).set(owner.auth)).headers.etag;
    expect((await api.http().delete(org['@id']).set(owner.auth).set('If-Match', current)).status).toBe(204);
  });

  it('When no If-Match is sent, then writes proceed as before: it is optional', async () => {
    const owner = await api.partner();
    const org = await organization(owner);
    expect((await rename(org['@id'], owner, 'No Precondition')).status).toBe(200);
  });
});
