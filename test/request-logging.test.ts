import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { startApi, type Api } from './support/harness.js';

/** Every line the service logs, as pino writes it. */
const lines: string[] = [];
const destination = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  },
});

let api: Api;
let partner: Awaited<ReturnType<Api['partner']>>;
beforeAll(async () => {
  api = await startApi({ logger: pino({ level: 'debug' }, destination) });
  partner = await api.partner();
});
afterAll(() => api.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function loggedLine(requestId: string): Record<string, { url?: string; id?: string }> {
  const line = lines.find((l) => l.includes(requestId) && l.includes('"res"'));
  expect(line).toBeDefined();
  return JSON.parse(line!);
}

describe('What the request log never holds', () => {
  it('When a client puts a token in the query string, under access_token or any other name, then no log line holds it, while the parameters the API reads are logged as sent', async () => {
    const before = lines.length;
    const token = partner.token;
    const res = await api.http().get(`/api/organizations?page=1&access_token=${token}&key=${encodeURIComponent(token)}&${token}&name=Acme`).set(partner.auth);
    expect(res.status).toBe(200);
    const logged = lines.slice(before).join('\n');
    expect(logged).not.toContain(token);
    expect(logged).not.toContain(token.slice(3));
    expect(loggedLine(res.headers['x-request-id']).req.url).toBe('/api/organizations?page=1&access_token=[redacted]&key=[redacted]&[redacted]&name=Acme');
  });

  it('When an unknown token is sent in the query and the header, then the failed authentication is logged without either', async () => {
    const before = lines.length;
    const forged = `lo_${'x'.repeat(43)}`;
    const res = await api.http().get(`/api/organizations?token=${forged}`).set('Authorization', `Bearer ${forged}`);
    expect(res.status).toBe(401);
    const logged = lines.slice(before);
    expect(logged.some((l) => l.includes('authentication failed'))).toBe(true);
    expect(logged.join('\n')).not.toContain('x'.repeat(43));
  });

  it('When a token is put in the path, then the path is logged without it', async () => {
    const before = lines.length;
    const res = await api.http().get(`/api/${partner.token}`);
    expect(res.status).toBe(404);
    expect(lines.slice(before).join('\n')).not.toContain(partner.token);
    expect(loggedLine(res.headers['x-request-id']).req.url).toBe('/api/[redacted]');
  });

  it.each([
    ['its own token', () => partner.token],
    ['a token-like value', () => `lo_${'A'.repeat(43)}`],
    ['a JSON Web Token', () => 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl'],
  ])('When X-Request-Id holds %s, then the request gets a generated id instead, in the answer and in the logs', async (_what, value) => {
    const before = lines.length;
    const secret = value();
    const res = await api.http().get('/api/nothing-here').set(partner.auth).set('X-Request-Id', secret);
    expect(res.status).toBe(404);
    expect(res.headers['x-request-id']).toMatch(UUID);
    expect(res.body.request_id).toBe(res.headers['x-request-id']);
    expect(lines.slice(before).join('\n')).not.toContain(secret);
  });

  it('When X-Request-Id is an ordinary trace id, then it is kept and logged', async () => {
    const res = await api.http().get('/api').set('X-Request-Id', 'trace-42.abc');
    expect(res.headers['x-request-id']).toBe('trace-42.abc');
    expect(loggedLine('trace-42.abc').req.id).toBe('trace-42.abc');
  });
});

describe('The request line', () => {
  const linesOf = (requestId: string) => lines.filter((l) => l.includes(`"id":"${requestId}"`) && l.includes('"res"')).map((l) => JSON.parse(l));

  it('When a request is answered, then exactly one line says it completed, with its status and time', async () => {
    const res = await api.http().get('/api/organizations').set(partner.auth).set('X-Request-Id', 'line-once-1');
    expect(res.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const found = linesOf('line-once-1');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ level: 30, msg: 'request completed', req: { id: 'line-once-1', method: 'GET', url: '/api/organizations' }, res: { statusCode: 200 } });
    expect(typeof found[0].responseTime).toBe('number');
  });

  it('When the client goes away before its body arrives, then exactly one line says the request was aborted', async () => {
    const { connect } = await import('node:net');
    const { port } = new URL(api.base);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`POST /api/organizations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${partner.token}\r\nContent-Type: application/ld+json\r\nContent-Length: 100\r\nX-Request-Id: line-aborted-1\r\n\r\n{"name":`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    for (let i = 0; i < 40 && linesOf('line-aborted-1').length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const found = linesOf('line-aborted-1');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ msg: 'request aborted', req: { id: 'line-aborted-1', method: 'POST' } });
  });
});
