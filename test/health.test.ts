import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApi, type Api } from './support/harness.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('Health checks for load balancers', () => {
  it('When /health is asked, without a token, then 200: the process answers', async () => {
    const res = await api.http().get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('When /health/ready is asked, then 200 with the engine it reached', async () => {
    const res = await api.http().get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', database: { engine: api.db.engine } });
    expect(res.body.database.latency_ms).toBeGreaterThanOrEqual(0);
  });

  it('When the database is closed under the service, then /health/ready is a 503 problem with Retry-After while /health stays 200', async () => {
    const other = await startApi();
    try {
      await other.db.close();
      const ready = await other.http().get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.type).toBe('application/problem+json');
      expect(ready.headers['retry-after']).toBeDefined();
      expect((await other.http().get('/health')).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('When /health is sent a POST, then 405 with Allow', async () => {
    const res = await api.http().post('/health');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });
});
