import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApi, type Api } from './support/harness.js';

let api: Api;
beforeAll(async () => {
  api = await startApi(process.env.DEBUG_LOG ? { logger: (await import('pino')).pino({ level: 'error' }) } : {});
});
afterAll(() => api.close());

const MERGE_PATCH = 'application/merge-patch+json';
type Node = Record<string, any>;

describe('Webhook endpoints', () => {
  it('When a partner registers an endpoint, then it gets a whsec_ secret once, and reads, changes and removes its endpoint', async () => {
    const partner = await api.partner();
    const org = (await api.http().post('/api/organizations').set(partner.auth).send({ name: 'Hooked' })).body;
    const created = await api.http().post('/api/webhook_endpoints').set(partner.auth).send({ url: 'http://127.0.0.1:9/hooks', events: ['member.added'], organization: org['@id'] });
    expect(created.status).toBe(201);
    expect(created.headers.location).toMatch(new RegExp(`${created.body['@id']}$`));
    expect(created.body).toMatchObject({ '@type': 'WebhookEndpoint', url: 'http://127.0.0.1:9/hooks', events: ['member.added'], organization: org['@id'], enabled: true });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const read: Node = (await api.http().get(created.body['@id']).set(partner.auth)).body;
    expect(read.secret).toBeUndefined();
    expect(JSON.stringify(await api.db.all('SELECT * FROM webhook_endpoint'))).not.toContain(created.body.secret.slice(6));

    const patched = await api.http().patch(created.body['@id']).set(partner.auth).set('Content-Type', MERGE_PATCH).send('{"events": [], "enabled": false}');
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ events: [], enabled: false });
    const list = (await api.http().get('/api/webhook_endpoints').set(partner.auth)).body;
    expect(list['hydra:member'].map((e: Node) => e['@id'])).toEqual([created.body['@id']]);

    const rotated = await api.http().post(created.body.rotate_secret).set(partner.auth);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect(Date.parse(rotated.body.previous_secret_expires_at)).toBeGreaterThan(Date.now());

    const deliveries = await api.http().get(created.body.deliveries).set(partner.auth);
    expect(deliveries.status).toBe(200);
    expect(deliveries.body['hydra:member']).toEqual([]);
    expect((await api.http().delete(created.body['@id']).set(partner.auth)).status).toBe(204);
    expect((await api.http().get(created.body['@id']).set(partner.auth)).status).toBe(404);
  });

  it("When another partner asks for an endpoint, then it is not there for it; and an organization it does not belong to is refused", async () => {
    const [owner, stranger] = [await api.partner(), await api.partner()];
    const org = (await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Private' })).body;
    const endpoint = (await api.http().post('/api/webhook_endpoints').set(owner.auth).send({ url: 'http://127.0.0.1:9/a' })).body;
    for (const res of [
      await api.http().get(endpoint['@id']).set(stranger.auth),
      await api.http().get(endpoint.deliveries).set(stranger.auth),
      await api.http().delete(endpoint['@id']).set(stranger.auth),
      await api.http().post(endpoint.rotate_secret).set(stranger.auth),
    ]) expect(res.status).toBe(404);
    expect((await api.http().get('/api/webhook_endpoints').set(stranger.auth)).body['hydra:totalItems']).toBe(0);
    const refused = await api.http().post('/api/webhook_endpoints').set(stranger.auth).send({ url: 'http://127.0.0.1:9/b', organization: org['@id'] });
    expect(refused.status).toBe(422);
    expect(refused.body.violations).toEqual([expect.objectContaining({ propertyPath: 'organization', code: 'unknown_organization' })]);
  });

  it.each([
    ['http://hooks.partner.example/x', 'https_required'],
    ['https://127.0.0.2/x', 'forbidden_address'],
    ['https://[::1]/x', 'forbidden_address'],
    ['https://10.1.2.3/x', 'forbidden_address'],
    ['https://192.168.0.10/x', 'forbidden_address'],
    ['https://169.254.169.254/latest/meta-data', 'forbidden_address'],
    ['https://[::ffff:127.0.0.1]/x', 'forbidden_address'],
    ['https://[fd00:ec2::254]/x', 'forbidden_address'],
    ['https://localhost/x', 'forbidden_address'],
    ['https://user:pw@203.0.113.9/x', 'credentials_in_url'],
  ])('When the URL is %s, then registration is refused with a 422 (%s) and nothing is stored', async (url, code) => {
    const partner = await api.partner();
    const res = await api.http().post('/api/webhook_endpoints').set(partner.auth).send({ url });
    expect(res.status).toBe(422);
    expect(res.body.violations).toEqual([expect.objectContaining({ propertyPath: 'url', code })]);
    expect((await api.http().get('/api/webhook_endpoints').set(partner.auth)).body['hydra:totalItems']).toBe(0);
  });

  it('When a change would point an endpoint at a private address, then it is refused and the endpoint keeps its URL', async () => {
    const partner = await api.partner();
    const endpoint = (await api.http().post('/api/webhook_endpoints').set(partner.auth).send({ url: 'http://127.0.0.1:9/a' })).body;
    const res = await api.http().patch(endpoint['@id']).set(partner.auth).set('Content-Type', MERGE_PATCH).send('{"url": "https://169.254.169.254/"}');
    expect(res.status).toBe(422);
    expect((await api.http().get(endpoint['@id']).set(partner.auth)).body.url).toBe('http://127.0.0.1:9/a');
  });

  it('When the service has no WEBHOOK_SECRET_KEY, then registration is refused with a 503 that says so, and nothing is stored', async () => {
    const keyless = await startApi({ webhooks: { allowedHosts: ['127.0.0.1'], timeoutMs: 1000, retrySchedule: [100], secretGraceMs: 1000 } });
    try {
      const partner = await keyless.partner();
      const res = await keyless.http().post('/api/webhook_endpoints').set(partner.auth).send({ url: 'http://127.0.0.1:9/a' });
      expect(res.status).toBe(503);
      expect(res.body.type).toMatch(/\/api\/errors\/webhooks-not-configured$/);
      expect(await keyless.db.all('SELECT id FROM webhook_endpoint')).toEqual([]);
    } finally {
      await keyless.close();
    }
  });
});
