/**
 * Answers the contract fuzzer found off the document, each pinned by what a client sees:
 * a keep-alive client whose request body went unread, a 422 without violations, a bad path
 * encoding blamed on the body, a document without servers.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApi, type Api } from './support/harness.js';

let api: Api;
let published: Api;
let owner: Awaited<ReturnType<Api['partner']>>;
beforeAll(async () => {
  api = await startApi();
  published = await startApi({ origins: { publicOrigin: 'https://api.linked-orgs.example', allowedHosts: [] } });
  owner = await api.partner('Contract Answers');
});
afterAll(async () => {
  await api.close();
  await published.close();
});

/** One request on a keep-alive agent: status, headers, or the transport error a client library reports. */
function onAgent(agent: http.Agent, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; connection?: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = http.request(`${api.base}${path}`, { method: 'GET', agent, headers: { ...headers, ...(body ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.on('error', (error) => resolve({ error: error.message }));
    req.end(body);
  });
}

describe('Answers as the contract describes them', () => {
  it('When a GET carries a body nobody reads, then its answer says Connection: close, and the same keep-alive client\'s next requests succeed', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await onAgent(agent, '/api/me', { ...owner.auth, 'Content-Type': 'application/json' }, 'x'.repeat(64 * 1024));
      expect(first).toEqual({ status: 200, connection: 'close' });
      for (let i = 0; i < 5; i++) expect(await onAgent(agent, '/api/me', owner.auth)).toMatchObject({ status: 200 });
    } finally {
      agent.destroy();
    }
  });

  it('When an Idempotency-Key is reused for another request, then the 422 is a ConstraintViolationList like every 422, with one violation at the root', async () => {
    const key = `reused-${Date.now()}`;
    const first = await api.http().post('/api/organizations').set(owner.auth).set('Idempotency-Key', key).send({ name: 'Idempotent First' });
    expect(first.status).toBe(201);
    const res = await api.http().post('/api/organizations').set(owner.auth).set('Idempotency-Key', key).send({ name: 'Idempotent Second' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ '@type': 'ConstraintViolationList', violation_count: 1, violations: [{ propertyPath: '', code: 'idempotency_key_reused' }] });
    expect(res.body.violations[0].message).toBe(res.body.detail);
  });

  it('When a path holds a malformed percent-encoding, then the 400 says so, and does not blame the body', async () => {
    const res = await api.http().get('/api/organizations/%E0%A4%A').set(owner.auth);
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/path/);
    expect(res.body.detail).not.toMatch(/body/);
    // A valid uri-reference that resolves to the same path: the lone % written %25.
    expect(res.body.instance).toBe('/api/organizations/%E0%A4%25A');
  });

  it('When /api/docs.json is read, then its servers name the origin it was read through, or PUBLIC_ORIGIN when that is set', async () => {
    expect((await api.http().get('/api/docs.json')).body.servers).toEqual([{ url: api.base, description: expect.any(String) }]);
    expect((await published.http().get('/api/docs.json')).body.servers).toEqual([{ url: 'https://api.linked-orgs.example', description: expect.any(String) }]);
  });

  it('When fetch-style SDKs send If-None-Match with Cache-Control: no-cache, then the current ETag still gets a 304', async () => {
    const org = await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Conditional' });
    const first = await api.http().get(org.body['@id']).set(owner.auth);
    const again = await api.http().get(org.body['@id']).set(owner.auth).set('If-None-Match', first.headers.etag).set('Cache-Control', 'no-cache');
    expect(again.status).toBe(304);
    expect(again.headers.etag).toBe(first.headers.etag);
    const stale = await api.http().get(org.body['@id']).set(owner.auth).set('If-None-Match', '"stale"').set('Cache-Control', 'no-cache');
    expect(stale.status).toBe(200);
  });
});
