import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import request from 'supertest';
import { buildApp } from '../src/app.js';
import { startApi, type Api } from './support/harness.js';

let api: Api;
let certificate: { key: Buffer; cert: Buffer };
const servers: Server[] = [];

/** A self-signed certificate for 127.0.0.1, made by openssl for this run. */
async function selfSignedCertificate() {
  const dir = mkdtempSync(path.join(tmpdir(), 'linked-orgs-tls-'));
  const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert]);
  const pair = { key: readFileSync(key), cert: readFileSync(cert) };
  rmSync(dir, { recursive: true, force: true });
  return pair;
}

/** Another app on the same database, on a server of the test's choosing. */
async function listen(server: Server, scheme: 'http' | 'https'): Promise<string> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const app = (trustProxy: string | boolean = false) => buildApp({ db: api.db, logger: pino({ level: 'silent' }), trustProxy });

beforeAll(async () => {
  api = await startApi();
  certificate = await selfSignedCertificate();
});
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await api.close();
});

function expectHttpsOnlyHeaders(headers: Record<string, string>, present: boolean) {
  if (present) {
    expect(headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(headers['content-security-policy']).toContain('upgrade-insecure-requests');
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  } else {
    expect(headers).not.toHaveProperty('strict-transport-security');
    expect(headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(headers).not.toHaveProperty('cross-origin-opener-policy');
  }
}

describe('Security headers', () => {
  it.each([
    ['a resource', '/api', 200],
    ['an unauthenticated request', '/api/organizations', 401],
    ['an unknown route', '/nowhere', 404],
    ['the health check', '/health', 200],
  ])('When %s is answered over plain HTTP, then it carries the security headers, none that only HTTPS honours, and no X-Powered-By', async (_what, path, status) => {
    const res = await api.http().get(path);
    expect(res.status).toBe(status);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expectHttpsOnlyHeaders(res.headers, false);
    expect(res.headers).not.toHaveProperty('x-powered-by');
  });

  it('When a request arrives over HTTPS, then Strict-Transport-Security, upgrade-insecure-requests and Cross-Origin-Opener-Policy are sent too', async () => {
    const base = await listen(createHttpsServer(certificate, app()), 'https');
    for (const path of ['/api', '/nowhere']) {
      const res = await request(base).get(path).ca(certificate.cert);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expectHttpsOnlyHeaders(res.headers, true);
    }
  });

  it('When TRUST_PROXY trusts the proxy that says the request came over HTTPS, then the HTTPS-only headers are sent', async () => {
    const base = await listen(createHttpServer(app('loopback')), 'http');
    const overHttps = await request(base).get('/api').set('X-Forwarded-Proto', 'https');
    const overHttp = await request(base).get('/api').set('X-Forwarded-Proto', 'http');
    expectHttpsOnlyHeaders(overHttps.headers, true);
    expectHttpsOnlyHeaders(overHttp.headers, false);
  });

  it('When no proxy is trusted, then a client claiming X-Forwarded-Proto: https over plain HTTP gets no HTTPS-only headers', async () => {
    const res = await api.http().get('/api').set('X-Forwarded-Proto', 'https');
    expectHttpsOnlyHeaders(res.headers, false);
  });
});
