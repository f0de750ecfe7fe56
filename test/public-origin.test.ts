import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApi, type Api } from './support/harness.js';
import { get, RawConnection } from './support/raw-http.js';

const ORIGIN = 'https://api.example.com';
const FLATTENED = 'application/ld+json; profile="http://www.w3.org/ns/json-ld#flattened"';
/** What a client, or a proxy in between, may claim. */
const FORGED = { Host: 'evil.example', 'X-Forwarded-Host': 'evil2.example', 'X-Forwarded-Proto': 'http' };

let fixed: Api;
let guarded: Api;
let plain: Api;
beforeAll(async () => {
  [fixed, guarded, plain] = await Promise.all([
    startApi({ origins: { publicOrigin: ORIGIN, allowedHosts: [] }, trustProxy: true }),
    startApi({ origins: { allowedHosts: ['api.example.com', 'localhost'] } }),
    startApi(),
  ]);
});
afterAll(() => Promise.all([fixed, guarded, plain].map((api) => api.close())));

function leaks(text: string): boolean {
  return /evil2?\.example/.test(text);
}

describe('PUBLIC_ORIGIN', () => {
  it('When it is set, then Link, Location, the problem type and absolute @ids use it, whatever Host and X-Forwarded-* say', async () => {
    const partner = await fixed.partner();
    const created = await fixed.http().post('/api/organizations').set(partner.auth).set(FORGED).send({ name: 'Origin Corp' });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`${ORIGIN}${created.body['@id']}`);
    expect(created.headers.link).toContain(`<${ORIGIN}/api/docs.jsonld>`);

    const flattened = await fixed.http().get(created.body['@id']).set(partner.auth).set(FORGED).set('Accept', FLATTENED);
    expect(flattened.status).toBe(200);
    expect(JSON.parse(flattened.text)['@graph'].map((node: { '@id': string }) => node['@id'])).toContain(`${ORIGIN}${created.body['@id']}`);

    const missing = await fixed.http().get('/api/nothing').set(FORGED);
    expect(missing.body.type).toBe(`${ORIGIN}/api/errors/not-found`);
    for (const res of [created, flattened, missing]) expect(leaks(JSON.stringify(res.headers) + res.text)).toBe(false);
  });

  it('When it is not set, then links follow the Host the client used, as for local use', async () => {
    const res = await plain.http().get('/api/nothing').set('Host', 'localhost:3000');
    expect(res.body.type).toBe('http://localhost:3000/api/errors/not-found');
  });
});

describe('ALLOWED_HOSTS', () => {
  it('When a request names another host, then 421 misdirected-request, without echoing that host anywhere', async () => {
    const res = await guarded.http().get('/api').set('Host', 'evil.example');
    expect(res.status).toBe(421);
    expect(res.type).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status: 421, type: 'http://api.example.com/api/errors/misdirected-request' });
    expect(leaks(JSON.stringify(res.headers) + res.text)).toBe(false);
  });

  it('When a request names an allowed host, in any case and with a port, then it is answered', async () => {
    const res = await guarded.http().get('/api').set('Host', 'API.example.com:8443');
    expect(res.status).toBe(200);
    expect(res.headers.link).toContain('<http://API.example.com:8443/api/docs.jsonld>');
  });

  it('When a load balancer checks health by address, then it is answered whatever the Host', async () => {
    expect((await guarded.http().get('/health/ready').set('Host', '10.0.0.7:3000')).status).toBe(200);
    expect((await guarded.http().get('/health').set('Host', '10.0.0.7:3000')).status).toBe(200);
  });
});

describe('The problem instance', () => {
  async function instanceOf(target: string): Promise<string> {
    const connection = await RawConnection.open(Number(new URL(plain.base).port));
    try {
      connection.send(get(target));
      const res = await connection.response();
      expect(res.status).toBe(404);
      return JSON.parse(res.body).instance;
    } finally {
      connection.close();
    }
  }

  it.each([
    ['a query string, which may hold a token', '/api/nothing?access_token=lo_secret&page=2', '/api/nothing'],
    ['a path starting with //, which would read as another host', '//evil.example/api', '/.//evil.example/api'],
    ['characters a URI may not hold', '/api/"quoted"<and>{braces}|pipe^caret`tick', '/api/%22quoted%22%3Cand%3E%7Bbraces%7D%7Cpipe%5Ecaret%60tick'],
    ['a lone percent sign', '/api/100%-sure/%41', '/api/100%25-sure/%41'],
    ['the absolute form, scheme and host before the path', 'http://evil.example/api/nothing?x=1', '/api/nothing'],
  ])('When the request target has %s, then the instance is the path alone, as a valid relative reference', async (_what, target, instance) => {
    expect(await instanceOf(target)).toBe(instance);
  });
});
