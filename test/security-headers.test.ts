import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApi, type Api } from './support/harness.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('Security headers', () => {
  it.each([
    ['a resource', '/api', 200],
    ['an unauthenticated request', '/api/organizations', 401],
    ['an unknown route', '/nowhere', 404],
    ['the health check', '/health', 200],
  ])('When %s is answered, then it carries the security headers and no X-Powered-By', async (_what, path, status) => {
    const res = await api.http().get(path);
    expect(res.status).toBe(status);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers).not.toHaveProperty('x-powered-by');
  });
});
