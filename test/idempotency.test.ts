import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApi, type Api } from './support/harness.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

type Caller = Awaited<ReturnType<Api['partner']>>;
const total = async (who: Caller) => (await api.http().get('/api/organizations').set(who.auth)).body['hydra:totalItems'];
const create = (who: Caller, key: string, body: object) => api.http().post('/api/organizations').set(who.auth).set('Idempotency-Key', key).send(body);

describe('Idempotency-Key on POST', () => {
  it('When a create is retried with the same key and body, then the first answer comes back and only one organization exists', async () => {
    const partner = await api.partner();
    const first = await create(partner, 'retry-1', { name: 'Once Only' });
    expect(first.status).toBe(201);
    const retry = await create(partner, 'retry-1', { name: 'Once Only' });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.location).toBe(first.headers.location);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await total(partner)).toBe(1);
  });

  it('When the same key and body arrive at once, then the work is done once and every answer is the same', async () => {
    const partner = await api.partner();
    const answers = await Promise.all(Array.from({ length: 6 }, () => create(partner, 'burst', { name: 'Burst' })));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await total(partner)).toBe(1);
  });

  it('When the same key comes with a different body, then 422 and nothing is created', async () => {
    const partner = await api.partner();
    await create(partner, 'reused', { name: 'First Body' });
    const res = await create(partner, 'reused', { name: 'Second Body' });
    expect(res.status).toBe(422);
    expect(res.body.type).toMatch(/\/api\/errors\/idempotency-key-reused$/);
    expect(await total(partner)).toBe(1);
  });

  it('When another partner uses the same key, then it is a different key: keys are per credential', async () => {
    const [a, b] = [await api.partner(), await api.partner()];
    expect((await create(a, 'shared-key', { name: 'A' })).status).toBe(201);
    const res = await create(b, 'shared-key', { name: 'B' });
    expect(res.status).toBe(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
  });

  it('When the first answer was a refusal, then the retry gets the same refusal', async () => {
    const partner = await api.partner();
    const first = await create(partner, 'invalid', { name: '' });
    expect(first.status).toBe(422);
    const retry = await create(partner, 'invalid', { name: '' });
    expect(retry.status).toBe(422);
    expect(retry.body.violations).toEqual(first.body.violations);
  });

  it('When body-less POSTs (accepting an invitation) are retried with a key, then the second gets the first answer, not a 409', async () => {
    const owner = await api.partner();
    const invitee = await api.partner();
    const org = (await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Accept Twice' })).body;
    const invitation = (await api.http().post(org.invitations).set(owner.auth).send({ email: invitee.email, role: 'member' })).body;
    const accept = () => api.http().post(invitation.accept).set(invitee.auth).set('Idempotency-Key', 'accept-1');
    const first = await accept();
    const retry = await accept();
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
  });

  it('When the key is not visible ASCII or too long, then 400', async () => {
    const partner = await api.partner();
    expect((await create(partner, 'x'.repeat(256), { name: 'Long Key' })).status).toBe(400);
    expect(await total(partner)).toBe(0);
  });
});
