import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readConfig } from '../src/config.js';
import { startApi, type Api } from './support/harness.js';

let open: Api;
let restricted: Api;
beforeAll(async () => {
  open = await startApi();
  restricted = await startApi({ corsOrigins: ['https://app.partner.example'] });
});
afterAll(async () => {
  await open.close();
  await restricted.close();
});

const preflight = (api: Api, origin: string, method = 'POST') =>
  api.http().options('/api/organizations').set('Origin', origin).set('Access-Control-Request-Method', method).set('Access-Control-Request-Headers', 'authorization, content-type');

describe('CORS', () => {
  it('When a browser sends a preflight, then 204 with the methods and headers a client needs', async () => {
    const res = await preflight(open, 'https://anywhere.example');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toContain('POST');
    expect(res.headers['access-control-allow-methods']).toContain('PATCH');
    expect(res.headers['access-control-allow-headers'].toLowerCase()).toContain('authorization');
    expect(res.headers['access-control-allow-headers'].toLowerCase()).toContain('if-match');
    expect(res.headers['access-control-allow-headers'].toLowerCase().split(',')).toContain('prefer');
    expect(Number(res.headers['access-control-max-age'])).toBeGreaterThan(0);
  });

  it('When a cross-origin request is answered, then Link, Location, ETag and Preference-Applied are exposed to the page', async () => {
    const partner = await open.partner();
    const res = await open.http().post('/api/organizations').set(partner.auth).set('Origin', 'https://anywhere.example').set('Prefer', 'handling=strict').send({ name: 'Cross Origin' });
    expect(res.status).toBe(201);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const exposed = res.headers['access-control-expose-headers'].split(',').map((h: string) => h.trim().toLowerCase());
    expect(exposed).toEqual(expect.arrayContaining(['link', 'location', 'etag', 'preference-applied']));
    expect(res.headers['preference-applied']).toBe('handling=strict');
  });

  it('When errors are answered cross-origin, then they carry the CORS headers too, so the page can read the problem', async () => {
    const res = await open.http().get('/api/organizations').set('Origin', 'https://anywhere.example');
    expect(res.status).toBe(401);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('When CORS_ORIGINS lists origins, then only those are allowed', async () => {
    const allowed = await preflight(restricted, 'https://app.partner.example');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.partner.example');
    expect(allowed.headers.vary).toContain('Origin');
    const refused = await preflight(restricted, 'https://evil.example');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS_ORIGINS', () => {
  it('When CORS_ORIGINS is a list, then it is read as origins; when it is not made of origins, the service refuses to start', () => {
    expect(readConfig({ CORS_ORIGINS: 'https://a.example, http://localhost:5173' }).corsOrigins).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(readConfig({}).corsOrigins).toBe('*');
    expect(() => readConfig({ CORS_ORIGINS: 'a.example/path' })).toThrow(/CORS_ORIGINS/);
  });
});
