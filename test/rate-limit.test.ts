import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readConfig } from '../src/config.js';
import { startApi, type Api } from './support/harness.js';

let limited: Api;
let unlimited: Api;
let anonymousUnlimited: Api;
/** Its own instance, so no other test's anonymous requests count against the entrypoint's. */
let anonymousElsewhere: Api;
beforeAll(async () => {
  limited = await startApi({ rateLimits: { perCredential: 5, anonymous: 3 } });
  unlimited = await startApi({ rateLimits: { perCredential: 0, anonymous: 3 } });
  anonymousUnlimited = await startApi({ rateLimits: { perCredential: 5, anonymous: 0 } });
  anonymousElsewhere = await startApi({ rateLimits: { perCredential: 5, anonymous: 3 } });
});
afterAll(async () => {
  await limited.close();
  await unlimited.close();
  await anonymousUnlimited.close();
  await anonymousElsewhere.close();
});

const INVALID_TOKEN = { Authorization: 'Bearer lo_not-a-real-token' };

describe('Rate limiting', () => {
  it('When a token makes more requests in a minute than its limit, then 429 with Retry-After, and RateLimit headers count down before', async () => {
    const partner = await limited.partner();
    const remaining: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await limited.http().get('/api/organizations').set(partner.auth);
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-limit']).toBe('5');
      remaining.push(Number(res.headers['ratelimit-remaining']));
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    const over = await limited.http().post('/api/organizations').set(partner.auth).send({ name: 'Over The Limit' });
    expect(over.status).toBe(429);
    expect(over.type).toBe('application/problem+json');
    expect(over.body.type).toMatch(/\/api\/errors\/too-many-requests$/);
    const retryAfter = Number(over.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(Number(over.headers['ratelimit-reset'])).toBeGreaterThan(0);
    const other = await limited.partner();
    expect((await limited.http().get('/api/organizations').set(other.auth)).status).toBe(200);
    expect((await limited.http().get('/api/organizations').set(partner.auth)).status).toBe(429);
    expect((await limited.http().get('/api/organizations').set(other.auth)).body['hydra:totalItems']).toBe(0);
  });

  it('When requests come without a valid token, then they count per address against the anonymous limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await limited.http().get('/api/me').set(INVALID_TOKEN)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('When the documentation, contexts and health checks are asked for, then they are never limited', async () => {
    for (const path of ['/api/docs.jsonld', '/api/docs.json', '/api/contexts/Organization', '/health']) {
      for (let i = 0; i < 6; i++) expect((await limited.http().get(path)).status).toBe(200);
    }
  });

  it('When the entrypoint is asked for without a token, then it is counted per address like every operation the OpenAPI document lists', async () => {
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await anonymousElsewhere.http().get('/api'));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers[0]!.headers['ratelimit-limit']).toBe('3');
    expect(answers[3]!.headers['retry-after']).toBeDefined();
  });

  it('When RATE_LIMIT_PER_MINUTE is 0, then requests with a valid token are not limited and get no RateLimit headers', async () => {
    const partner = await unlimited.partner();
    for (let i = 0; i < 8; i++) {
      const res = await unlimited.http().get('/api/organizations').set(partner.auth);
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    }
  });

  it('When RATE_LIMIT_PER_MINUTE is 0, then a flood of invalid tokens is still limited per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await unlimited.http().get('/api/me').set(INVALID_TOKEN)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('When RATE_LIMIT_ANON_PER_MINUTE is 0, then requests without a valid token are never refused with 429, and tokens are still limited', async () => {
    for (let i = 0; i < 8; i++) {
      const anonymous = await anonymousUnlimited.http().get('/api/me');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers['ratelimit-limit']).toBeUndefined();
      expect((await anonymousUnlimited.http().get('/api/me').set(INVALID_TOKEN)).status).toBe(401);
    }
    const partner = await anonymousUnlimited.partner();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await anonymousUnlimited.http().get('/api/me').set(partner.auth)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('When the limits are configured, then the environment sets them, with the documented defaults', () => {
    expect(readConfig({}).rateLimits).toEqual({ perCredential: 600, anonymous: 300 });
    expect(readConfig({ RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_ANON_PER_MINUTE: '20' }).rateLimits).toEqual({ perCredential: 0, anonymous: 20 });
    expect(readConfig({ RATE_LIMIT_ANON_PER_MINUTE: '0' }).rateLimits).toEqual({ perCredential: 600, anonymous: 0 });
    expect(() => readConfig({ RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
  });
});
