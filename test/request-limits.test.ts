import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApi, type Api } from './support/harness.js';
import { RawConnection } from './support/raw-http.js';

const BODY_LIMIT = 64 * 1024;
const TIMEOUTS = { headersTimeoutMs: 1_000, requestTimeoutMs: 3_000, bodyIdleTimeoutMs: 1_000 };

let api: Api;
let port: number;
let token: string;
beforeAll(async () => {
  api = await startApi({ bodyLimit: BODY_LIMIT, timeouts: TIMEOUTS });
  port = Number(new URL(api.base).port);
  token = (await api.partner()).token;
});
afterAll(() => api.close());

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function postHeaders(framing: string, auth = true): string {
  return `POST /api/organizations HTTP/1.1\r\nHost: 127.0.0.1\r\n${auth ? `Authorization: Bearer ${token}\r\n` : ''}Content-Type: application/json\r\n${framing}\r\n\r\n`;
}

function expectProblem(res: { status: number; headers: Record<string, string>; body: string }, status: number, slug: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(res.body) as Record<string, unknown>;
  expect(problem).toMatchObject({ status, type: expect.stringMatching(new RegExp(`/api/errors/${slug}$`)) });
  return problem;
}

async function organizations(): Promise<number> {
  const res = await api.http().get('/api/organizations').set({ Authorization: `Bearer ${token}` });
  return res.body['hydra:totalItems'];
}

describe('Bodies over BODY_LIMIT', () => {
  it.each([
    ['a partner', true],
    ['a caller without a token', false],
  ])('When %s declares a Content-Length of 10 GB, then 413 at once (before authentication) and the connection is closed', async (_who, auth) => {
    const connection = await RawConnection.open(port);
    const started = Date.now();
    connection.send(postHeaders('Content-Length: 10737418240', auth));
    const res = await connection.response(2_000);
    const problem = expectProblem(res, 413, 'payload-too-large');
    expect(problem.request_id).toBe(res.headers['x-request-id']);
    expect(res.headers.connection).toBe('close');
    await connection.closed;
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('When a chunked body never ends, then 413 comes as soon as it passes the limit, and the connection is closed while the client is still sending', async () => {
    const connection = await RawConnection.open(port);
    connection.send(postHeaders('Transfer-Encoding: chunked'));
    connection.send('1\r\n{\r\n');
    const chunk = `4000\r\n"${'a'.repeat(0x4000 - 2)}"\r\n`;
    let sent = 0;
    const sending = setInterval(() => {
      for (let i = 0; i < 8 && !connection.isClosed; i++, sent += 0x4000) connection.send(chunk);
    }, 5);
    try {
      const started = Date.now();
      const res = await connection.response(3_000);
      expectProblem(res, 413, 'payload-too-large');
      expect(res.headers.connection).toBe('close');
      await Promise.race([connection.closed, pause(2_000)]);
      expect(connection.isClosed).toBe(true);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(sent).toBeGreaterThan(BODY_LIMIT);
    } finally {
      clearInterval(sending);
      connection.close();
    }
    expect(await organizations()).toBe(0);
  });

  it('When a body just over the limit is sent whole with its length, then a plain client still reads the 413 problem', async () => {
    const res = await api.http().post('/api/organizations').set({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }).send(JSON.stringify({ name: 'x'.repeat(BODY_LIMIT) }));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ status: 413 });
  });
});

describe('Timeouts', () => {
  it('When the request headers take longer than HTTP_HEADERS_TIMEOUT_MS, then 408 request-timeout, and the connection is closed', async () => {
    const connection = await RawConnection.open(port);
    const started = Date.now();
    connection.send('GET /api HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const res = await connection.response(4_000);
    expectProblem(res, 408, 'request-timeout');
    await connection.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUTS.headersTimeoutMs - 50);
    expect(Date.now() - started).toBeLessThan(TIMEOUTS.headersTimeoutMs + 2_000);
  });

  it('When a body pauses longer than HTTP_BODY_IDLE_TIMEOUT_MS, then 408 request-timeout with the request id, and nothing is created', async () => {
    const connection = await RawConnection.open(port);
    const started = Date.now();
    connection.send(postHeaders('Content-Length: 100'));
    connection.send('{"name": "Slow');
    const res = await connection.response(4_000);
    const problem = expectProblem(res, 408, 'request-timeout');
    expect(problem.request_id).toBe(res.headers['x-request-id']);
    expect(problem.instance).toBe('/api/organizations');
    await connection.closed;
    expect(Date.now() - started).toBeLessThan(TIMEOUTS.bodyIdleTimeoutMs + 1_500);
    expect(await organizations()).toBe(0);
  });

  it('When 100 connections each trickle a body a byte at a time, never pausing long enough for the idle timeout, then every one is answered 408 and closed within HTTP_REQUEST_TIMEOUT_MS and about a second', async () => {
    const connections = await Promise.all(Array.from({ length: 100 }, () => RawConnection.open(port)));
    const started = Date.now();
    for (const connection of connections) connection.send(postHeaders('Content-Length: 1000'));
    const trickle = setInterval(() => connections.forEach((c) => c.isClosed || c.send(' ')), 300);
    try {
      const answers = await Promise.all(connections.map((c) => c.response(TIMEOUTS.requestTimeoutMs + 4_000).then((r) => r.status, (e: Error) => e.message)));
      await Promise.all(connections.map((c) => c.closed));
      const elapsed = Date.now() - started;
      expect(answers).toEqual(Array(100).fill(408));
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUTS.requestTimeoutMs - 50);
      expect(elapsed).toBeLessThan(TIMEOUTS.requestTimeoutMs + 3_000);
    } finally {
      clearInterval(trickle);
      connections.forEach((c) => c.close());
    }
  }, 20_000);
});
