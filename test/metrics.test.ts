import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readConfig } from '../src/config.js';
import { RawConnection } from './support/raw-http.js';
import { parsePrometheusText, samplesOf, valueOf, type Scrape } from './support/prometheus-text.js';
import { startApi, type Api } from './support/harness.js';

const TOKEN = 'metrics-test-token-0123456789abcdef0123456789abcdef';
const PER_TOKEN_LIMIT = 4;
const onPostgres = process.env.DATABASE_URL?.startsWith('postgres') ?? false;

let api: Api;
let unset: Api;
beforeAll(async () => {
  api = await startApi({ metricsToken: TOKEN, rateLimits: { perCredential: PER_TOKEN_LIMIT, anonymous: 0 }, origins: { allowedHosts: ['127.0.0.1'] } });
  unset = await startApi();
});
afterAll(async () => {
  await api.close();
  await unset.close();
});

async function scrape(target = api): Promise<Scrape> {
  const res = await target.http().get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
  expect(res.status).toBe(200);
  return parsePrometheusText(res.text);
}

/** Scrapes until `done` holds, at most `attempts` times: for what another connection is about to do. */
async function scrapeUntil(done: (scrape: Scrape) => boolean, attempts = 200): Promise<Scrape> {
  for (let i = 0; i < attempts; i++) {
    const current = await scrape();
    if (done(current)) return current;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('the metrics never reached the expected state');
}

const REQUESTS = 'linked_orgs_http_requests_total';
const DURATIONS = 'linked_orgs_http_request_duration_seconds';
const IN_FLIGHT = 'linked_orgs_http_requests_in_flight';

describe('Who may read /metrics', () => {
  it('When METRICS_TOKEN is unset, then /metrics is a 404 like any unknown path', async () => {
    const res = await unset.http().get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(404);
    expect(res.type).toBe('application/problem+json');
  });

  it('When /metrics is asked without a token, with a partner token or with another one, then 401 with a Bearer challenge and no metrics', async () => {
    const partner = await api.partner();
    for (const authorization of [undefined, partner.auth.Authorization, `Bearer ${TOKEN}x`, `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`]) {
      const req = api.http().get('/metrics');
      const res = authorization ? await req.set('Authorization', authorization) : await req;
      expect(res.status).toBe(401);
      expect(res.type).toBe('application/problem+json');
      expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(res.text).not.toContain('linked_orgs_');
    }
  });

  it('When the token is right, then 200 in the Prometheus text format, not cached, with Node\'s event loop delay, heap and resident memory', async () => {
    const res = await api.http().get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    const { types, samples } = parsePrometheusText(res.text);
    expect(types.get('nodejs_eventloop_lag_p99_seconds')).toBe('gauge');
    expect(types.get('nodejs_heap_size_used_bytes')).toBe('gauge');
    expect(types.get('process_resident_memory_bytes')).toBe('gauge');
    expect(samples.find((s) => s.name === 'process_resident_memory_bytes')!.value).toBeGreaterThan(0);
    expect(types.get(REQUESTS)).toBe('counter');
    expect(types.get(DURATIONS)).toBe('histogram');
    expect(types.get(IN_FLIGHT)).toBe('gauge');
  });

  it('When Prometheus scrapes by address, with a Host that ALLOWED_HOSTS does not list, then it is answered all the same', async () => {
    const res = await api.http().get('/metrics').set('Host', '10.0.0.7:3000').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect((await api.http().get('/api').set('Host', '10.0.0.7:3000')).status).toBe(421);
  });

  it('When METRICS_TOKEN is set too short, then the service refuses to start; unset or empty, there are no metrics', () => {
    expect(() => readConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 32 printable characters/);
    expect(readConfig({ METRICS_TOKEN: TOKEN }).metricsToken).toBe(TOKEN);
    expect(readConfig({ METRICS_TOKEN: '' }).metricsToken).toBeUndefined();
    expect(readConfig({}).metricsToken).toBeUndefined();
  });
});

describe('What /metrics counts', () => {
  it('When a 201, a 200, a 404, an unknown path and a 429 are answered, then each moves its counter and histogram by one, labelled by route template and status', async () => {
    const partner = await api.partner();
    const before = await scrape();
    const created = await api.http().post('/api/organizations').set(partner.auth).send({ name: 'Measured' });
    expect(created.status).toBe(201);
    expect((await api.http().get(created.body['@id']).set(partner.auth)).status).toBe(200);
    expect((await api.http().get('/api/organizations/999999').set(partner.auth)).status).toBe(404);
    expect((await api.http().get('/no/such/path/12345').set(partner.auth)).status).toBe(404);
    // The fifth request of this token in the minute: refused before it reaches its route.
    expect((await api.http().get(created.body['@id']).set(partner.auth)).status).toBe(429);
    const after = await scrape();

    const moved = (labels: Record<string, string>) => valueOf(after, REQUESTS, labels) - valueOf(before, REQUESTS, labels);
    expect(moved({ operation: 'POST /api/organizations', status: '201' })).toBe(1);
    expect(moved({ operation: 'GET /api/organizations/{id}', status: '200' })).toBe(1);
    expect(moved({ operation: 'GET /api/organizations/{id}', status: '404' })).toBe(1);
    expect(moved({ operation: 'unmatched', status: '404' })).toBe(1);
    expect(moved({ operation: 'GET /api/organizations/{id}', status: '429' })).toBe(1);
    expect(valueOf(after, 'linked_orgs_rate_limit_refusals_total', { limit: 'per_credential' }) - valueOf(before, 'linked_orgs_rate_limit_refusals_total', { limit: 'per_credential' })).toBe(1);

    const okGet = { operation: 'GET /api/organizations/{id}', status: '200' };
    expect(valueOf(after, `${DURATIONS}_count`, okGet) - valueOf(before, `${DURATIONS}_count`, okGet)).toBe(1);
    expect(valueOf(after, `${DURATIONS}_sum`, okGet)).toBeGreaterThan(valueOf(before, `${DURATIONS}_sum`, okGet));
    const buckets = samplesOf(after, `${DURATIONS}_bucket`, okGet);
    expect(buckets.map((b) => b.labels.le)).toContain('+Inf');
    expect(buckets.find((b) => b.labels.le === '+Inf')!.value).toBe(valueOf(after, `${DURATIONS}_count`, okGet));
  });

  it('When several organizations are read, then their ids never become label values: one series per operation and status', async () => {
    const partner = await api.partner();
    const ids: string[] = [];
    for (const name of ['One', 'Two']) {
      const created = await api.http().post('/api/organizations').set(partner.auth).send({ name });
      expect((await api.http().get(created.body['@id']).set(partner.auth)).status).toBe(200);
      ids.push(String(created.body.id));
    }
    const series = samplesOf(await scrape(), REQUESTS);
    for (const { labels } of series) {
      expect(Object.keys(labels).sort()).toEqual(['operation', 'status']);
      expect(labels.operation).toMatch(/^unmatched$|^[A-Z]+ \/[a-z/{}A-Z._*-]*$/);
      for (const id of ids) expect(labels.operation).not.toContain(id);
    }
    expect(series.filter((s) => s.labels.operation === 'GET /api/organizations/{id}' && s.labels.status === '200')).toHaveLength(1);
  });

  it('When the explorer\'s files and the health check are fetched, then they are labelled by where they are mounted, not by file', async () => {
    const before = await scrape();
    for (const file of ['app.js', 'explorer.css']) expect((await api.http().get(`/api/explorer/${file}`)).status).toBe(200);
    expect((await api.http().get('/health')).status).toBe(200);
    const after = await scrape();
    const moved = (labels: Record<string, string>) => valueOf(after, REQUESTS, labels) - valueOf(before, REQUESTS, labels);
    expect(moved({ operation: 'GET /api/explorer/*', status: '200' })).toBe(2);
    expect(moved({ operation: 'GET /health', status: '200' })).toBe(1);
  });

  it('When a request is still being received, then it is in flight; when its client leaves, it is counted as aborted', async () => {
    const partner = await api.partner();
    const before = await scrape();
    const connection = await RawConnection.open(Number(new URL(api.base).port));
    connection.send(`POST /api/organizations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${partner.auth.Authorization}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na`);
    // The scrape itself is one request in flight; the unfinished POST is the other.
    await scrapeUntil((s) => valueOf(s, IN_FLIGHT) === 2);
    connection.socket.destroy();
    const aborted = { operation: 'POST /api/organizations', status: 'aborted' };
    const after = await scrapeUntil((s) => valueOf(s, IN_FLIGHT) === 1 && valueOf(s, REQUESTS, aborted) > valueOf(before, REQUESTS, aborted));
    expect(valueOf(after, REQUESTS, aborted) - valueOf(before, REQUESTS, aborted)).toBe(1);
  });
});

describe('The database gauges', () => {
  /** Holds `count` transactions open (each after its first statement) until the returned function is called. */
  function holdTransactions(count: number) {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = Array.from({ length: count }, () => api.db.transaction(async (tx) => {
      await tx.get('SELECT 1 AS one');
      await gate;
    }));
    return async () => {
      release();
      await Promise.all(held);
    };
  }

  (onPostgres ? it.skip : it)('When a transaction is open on SQLite, then the write queue shows it, and no pool gauges are invented', async () => {
    const idle = await scrape();
    expect(valueOf(idle, 'linked_orgs_sqlite_writes_pending', { kind: 'transaction' })).toBe(0);
    expect(valueOf(idle, 'linked_orgs_sqlite_writes_pending', { kind: 'batch' })).toBe(0);
    expect(idle.types.has('linked_orgs_db_pool_connections')).toBe(false);
    expect(idle.types.has('linked_orgs_db_pool_waiting')).toBe(false);
    const release = holdTransactions(2);
    const busy = await scrape();
    expect(valueOf(busy, 'linked_orgs_sqlite_writes_pending', { kind: 'transaction' })).toBe(2);
    await release();
    expect(valueOf(await scrape(), 'linked_orgs_sqlite_writes_pending', { kind: 'transaction' })).toBe(0);
  });

  (onPostgres ? it : it.skip)('When every pooled PostgreSQL connection is lent out, then the pool gauges show them in use and the next caller waiting', async () => {
    const idle = await scrape();
    expect(valueOf(idle, 'linked_orgs_db_pool_connections', { state: 'in_use' })).toBe(0);
    expect(valueOf(idle, 'linked_orgs_db_pool_waiting')).toBe(0);
    expect(idle.types.has('linked_orgs_sqlite_writes_pending')).toBe(false);
    // The harness's pool has the default 10 connections: 11 transactions leave one waiting.
    const release = holdTransactions(11);
    const busy = await scrapeUntil((s) => valueOf(s, 'linked_orgs_db_pool_connections', { state: 'in_use' }) === 10);
    expect(valueOf(busy, 'linked_orgs_db_pool_waiting')).toBe(1);
    expect(valueOf(busy, 'linked_orgs_db_pool_connections', { state: 'idle' })).toBe(0);
    await release();
    const after = await scrape();
    expect(valueOf(after, 'linked_orgs_db_pool_connections', { state: 'in_use' })).toBe(0);
    expect(valueOf(after, 'linked_orgs_db_pool_connections', { state: 'idle' })).toBe(10);
    expect(valueOf(after, 'linked_orgs_db_pool_waiting')).toBe(0);
  });
});
