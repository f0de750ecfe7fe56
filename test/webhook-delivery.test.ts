import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AUDIT_ACTIONS } from '../src/resources/audit/audit.description.js';
import { everyKindOfChange, patch, post } from './support/every-change.js';
import { startApi, TEST_WEBHOOKS, type Api } from './support/harness.js';
import { eventually, startReceiver } from './support/webhook-receiver.js';

const MERGE_PATCH = 'application/merge-patch+json';
type Auth = Record<string, string>;
type Node = Record<string, any>;

let api: Api;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver();
  api = await startApi({ deliveries: true, origins: { allowedHosts: ['127.0.0.1'], publicOrigin: undefined } });
});
afterAll(async () => {
  await api.close();
  await receiver.close();
});

/** Registers an endpoint at a receiver path and tells the receiver its secret. */
async function endpoint(auth: Auth, path: string, extra: object = {}): Promise<Node> {
  const created = await post(api, auth, '/api/webhook_endpoints', { url: `${receiver.base}${path}`, ...extra });
  receiver.trust(path, created.secret);
  return created;
}

async function feed(auth: Auth, query = ''): Promise<Node[]> {
  const events: Node[] = [];
  let url: string | undefined = `/api/events?itemsPerPage=100${query}`;
  for (let pages = 0; url && pages < 50; pages++) {
    const body: Node = (await api.http().get(url).set(auth)).body;
    events.push(...body['hydra:member']);
    url = body['hydra:member'].length ? body['hydra:view']['hydra:next'] : undefined;
  }
  return events;
}

async function deliveries(auth: Auth, hook: Node): Promise<Node[]> {
  const res = await api.http().get(hook.deliveries).set(auth);
  expect(res.status).toBe(200);
  return res.body['hydra:member'];
}

const ids = (path: string) => receiver.at(path).map((r) => r.headers['webhook-id']);

describe('Webhook delivery', () => {
  it('When an organization goes through every kind of change, then each subscribed endpoint gets each event once, signed, in commit order, and a stranger gets nothing', async () => {
    const owner = await api.partner();
    const stranger = await api.partner();
    const all = await endpoint(owner.auth, '/every/all');
    const some = await endpoint(owner.auth, '/every/some', { events: ['member.added', 'organization.deleted'] });
    const strangers = await endpoint(stranger.auth, '/every/stranger');
    const { org } = await everyKindOfChange(api, owner, 'Delivered');

    const events = await feed(owner.auth, `&organization=${org.id}`);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(AUDIT_ACTIONS));
    await eventually(() => receiver.at('/every/all').length >= events.length && receiver.at('/every/some').length >= 2, 'every event at both endpoints');
    // Exactly once each, in the feed's (commit) order, each signature verified with the endpoint's secret.
    expect(ids('/every/all')).toEqual(events.map((e) => e.id));
    expect(ids('/every/some')).toEqual(events.filter((e) => ['member.added', 'organization.deleted'].includes(e.type)).map((e) => e.id));
    for (const delivery of [...receiver.at('/every/all'), ...receiver.at('/every/some')]) {
      expect(delivery.verifiedWith).toHaveLength(1);
      expect(delivery.headers['content-type']).toBe('application/json');
      expect(Math.abs(Number(delivery.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    }
    // The body is the event as the feed shows it, its context included.
    const first = (await api.http().get(events[0]['@id']).set(owner.auth)).body;
    expect(receiver.at('/every/all')[0].event).toEqual(first);

    // Nothing more arrives after a while, and the stranger's endpoint had nothing to attempt.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.at('/every/all')).toHaveLength(events.length);
    expect(receiver.at('/every/stranger')).toEqual([]);
    expect(await deliveries(stranger.auth, strangers)).toEqual([]);
    const listed = await deliveries(owner.auth, all);
    expect(listed).toHaveLength(events.length);
    expect(listed.every((d) => d.outcome === 'delivered' && d.status === 200 && d.attempt === 1)).toBe(true);
    expect((await deliveries(owner.auth, some)).map((d) => d.event).reverse()).toEqual(events.filter((e) => ['member.added', 'organization.deleted'].includes(e.type)).map((e) => e['@id']));
  });

  it('When the receiver answers 500 twice and then 200, then the event arrives on the third attempt, and the deliveries list shows all three', async () => {
    const owner = await api.partner();
    const org = await post(api, owner.auth, '/api/organizations', { name: 'Flaky' });
    const hook = await endpoint(owner.auth, '/flaky', { organization: org['@id'] });
    receiver.answer('/flaky', [500, 500]);
    await patch(api, owner.auth, org['@id'], { name: 'Flaky 2' });
    await eventually(() => receiver.at('/flaky').length >= 3, 'three attempts');
    const [event] = await feed(owner.auth, `&organization=${org.id}&type=organization.updated`);
    expect(ids('/flaky')).toEqual([event.id, event.id, event.id]);
    expect(receiver.at('/flaky').every((r) => r.verifiedWith.length === 1)).toBe(true);
    await eventually(async () => (await deliveries(owner.auth, hook)).length === 3, 'three attempts listed');
    const listed = await deliveries(owner.auth, hook);
    expect(listed.map((d) => [d.attempt, d.status, d.outcome])).toEqual([[3, 200, 'delivered'], [2, 500, 'retrying'], [1, 500, 'retrying']]);
    expect(listed.every((d) => d.event === event['@id'] && typeof d.duration_ms === 'number')).toBe(true);
    expect(listed[1].error).toBe('answered 500');
    // The retries waited about as the schedule says (100 ms, then 200 ms, ±20%).
    const at = listed.map((d) => Date.parse(d.at)).reverse();
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(80);
    expect(at[2] - at[1]).toBeGreaterThanOrEqual(160);
    expect((await api.http().get(hook['@id']).set(owner.auth)).body.enabled).toBe(true);
  });

  it('When an earlier event is being retried, then later events of the organization wait for it: the receiver sees commit order', async () => {
    const owner = await api.partner();
    const org = await post(api, owner.auth, '/api/organizations', { name: 'Ordered' });
    await endpoint(owner.auth, '/ordered', { organization: org['@id'] });
    receiver.answer('/ordered', [503]);
    const names = Array.from({ length: 6 }, (_, n) => `Ordered ${n}`);
    for (const name of names) await patch(api, owner.auth, org['@id'], { name });
    await eventually(() => receiver.at('/ordered').length >= names.length + 1, 'every change and the retry');
    const events = await feed(owner.auth, `&organization=${org.id}&type=organization.updated`);
    expect(ids('/ordered')).toEqual([events[0].id, ...events.map((e) => e.id)]);
    expect(receiver.at('/ordered').slice(1).map((r) => r.event.data.name)).toEqual(names);
  });

  it('When the receiver answers 410, then the endpoint is disabled at once, and enabling it again resumes from that event', async () => {
    const owner = await api.partner();
    const org = await post(api, owner.auth, '/api/organizations', { name: 'Gone' });
    const hook = await endpoint(owner.auth, '/gone', { organization: org['@id'] });
    receiver.answer('/gone', [410]);
    await patch(api, owner.auth, org['@id'], { name: 'Gone 2' });
    await eventually(async () => (await api.http().get(hook['@id']).set(owner.auth)).body.enabled === false, 'disabled');
    const disabled = (await api.http().get(hook['@id']).set(owner.auth)).body;
    expect(disabled.disabled_reason).toMatch(/410/);
    await patch(api, owner.auth, org['@id'], { name: 'Gone 3' });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(receiver.at('/gone')).toHaveLength(1);
    expect((await deliveries(owner.auth, hook)).map((d) => [d.status, d.outcome])).toEqual([[410, 'failed']]);

    await patch(api, owner.auth, hook['@id'], { enabled: true });
    await eventually(() => receiver.at('/gone').length >= 3, 'both events after enabling');
    expect(receiver.at('/gone').map((r) => r.event.data?.name)).toEqual(['Gone 2', 'Gone 2', 'Gone 3']);
  });

  it('When every attempt of the retry schedule fails, then the last is marked failed and the endpoint disabled; enabled again, it delivers that event', async () => {
    const owner = await api.partner();
    const org = await post(api, owner.auth, '/api/organizations', { name: 'Down' });
    const hook = await endpoint(owner.auth, '/down', { organization: org['@id'] });
    const attempts = TEST_WEBHOOKS.retrySchedule.length + 1;
    receiver.answer('/down', Array(attempts).fill(500));
    await patch(api, owner.auth, org['@id'], { name: 'Down 2' });
    await eventually(async () => (await api.http().get(hook['@id']).set(owner.auth)).body.enabled === false, 'disabled after the schedule');
    const listed = await deliveries(owner.auth, hook);
    expect(listed.map((d) => d.outcome)).toEqual(['failed', ...Array(attempts - 1).fill('retrying')]);
    expect((await api.http().get(hook['@id']).set(owner.auth)).body.disabled_reason).toMatch(/retry schedule/);
    await patch(api, owner.auth, hook['@id'], { enabled: true });
    await eventually(() => receiver.at('/down').length === attempts + 1, 'delivered after enabling');
    expect(new Set(ids('/down')).size).toBe(1);
    expect((await deliveries(owner.auth, hook))[0]).toMatchObject({ outcome: 'delivered', attempt: 1, status: 200 });
  });

  it('When a secret is rotated, then deliveries carry both signatures during the grace period: a receiver holding either verifies', async () => {
    const owner = await api.partner();
    const org = await post(api, owner.auth, '/api/organizations', { name: 'Rotated' });
    const hook = await endpoint(owner.auth, '/rotated', { organization: org['@id'] });
    const rotated = await post(api, owner.auth, hook.rotate_secret);
    receiver.trust('/rotated', rotated.secret);
    await patch(api, owner.auth, org['@id'], { name: 'Rotated 2' });
    await eventually(() => receiver.at('/rotated').length === 1, 'the delivery');
    const [delivery] = receiver.at('/rotated');
    expect(delivery.verifiedWith.sort()).toEqual([hook.secret, rotated.secret].sort());
    expect(String(delivery.headers['webhook-signature']).split(' ')).toHaveLength(2);
  });
});

describe('Webhook delivery re-checks the address before sending', () => {
  it('When an allowed host is no longer allowed by delivery time, then nothing is sent: the attempt is recorded as refused and retried', async () => {
    const settings = { ...TEST_WEBHOOKS, allowedHosts: ['127.0.0.1'], retrySchedule: [60_000] };
    const strict = await startApi({ deliveries: true, webhooks: settings, metricsToken: 'metrics-token-for-tests', origins: { allowedHosts: ['127.0.0.1'] } });
    try {
      const owner = await strict.partner();
      const org = (await strict.http().post('/api/organizations').set(owner.auth).send({ name: 'Rebound' })).body;
      const hook = (await strict.http().post('/api/webhook_endpoints').set(owner.auth).send({ url: `${receiver.base}/rebound`, organization: org['@id'] })).body;
      expect(hook.enabled).toBe(true);
      // As if the operator dropped the host from WEBHOOK_ALLOWED_HOSTS (or its name now resolved to loopback).
      settings.allowedHosts.length = 0;
      await strict.http().patch(org['@id']).set(owner.auth).set('Content-Type', MERGE_PATCH).send('{"name": "Rebound 2"}');
      let listed: Node[] = [];
      await eventually(async () => (listed = (await strict.http().get(hook.deliveries).set(owner.auth)).body['hydra:member']).length === 1, 'the refused attempt');
      expect(listed[0]).toMatchObject({ outcome: 'retrying', attempt: 1 });
      expect(listed[0].status).toBeUndefined();
      // Over http, so refused first for that; an https URL would be refused as a loopback address (forbidden_address).
      expect(listed[0].error).toBe('refused before sending: https_required (127.0.0.1)');
      expect(receiver.at('/rebound')).toEqual([]);

      const scrape = async () => (await strict.http().get('/metrics').set('Authorization', 'Bearer metrics-token-for-tests')).text;
      const queueAge = (text: string) => Number(/^linked_orgs_webhook_queue_age_seconds (\S+)$/m.exec(text)?.[1]);
      // The worker reads the queue's age at most once a second: the event waiting for its retry shows within a poll or two.
      let metrics = '';
      await eventually(async () => queueAge((metrics = await scrape())) > 0, 'the waiting event in the queue age', 5000);
      expect(metrics).toMatch(/^linked_orgs_webhook_deliveries_total\{outcome="retrying"\} 1$/m);
      expect(metrics).toMatch(/^linked_orgs_webhook_delivery_lag_seconds_count\{outcome="retrying"\} 1$/m);
    } finally {
      await strict.close();
    }
  });
});
