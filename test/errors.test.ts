import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { startApi, type Api } from './support/harness.js';

const API_DOCUMENTATION_REL = 'http://www.w3.org/ns/hydra/core#apiDocumentation';
const CONTEXT_REL = 'http://www.w3.org/ns/json-ld#context';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

/** The entries of a Link header, one string per link (several headers are joined with ", "). */
function linkEntries(res: Response): string[] {
  const header = res.headers.link as string | string[] | undefined;
  const joined = Array.isArray(header) ? header.join(', ') : (header ?? '');
  return joined ? joined.split(/,\s*(?=<)/) : [];
}

function linksWithRel(res: Response, rel: string): string[] {
  return linkEntries(res).filter((entry) => entry.includes(`rel="${rel}"`));
}

function allowed(res: Response): Set<string> {
  return new Set(String(res.headers.allow ?? '').split(',').map((m) => m.trim()).filter(Boolean));
}

const titles = new Map<string, string>();

/** Asserts the RFC 9457 shape every error shares, and that its type URL describes the same problem. */
async function expectProblem(res: Response, status: number, slug: string, instance: string): Promise<Record<string, unknown>> {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json(;|$)/);
  const body = JSON.parse(res.text) as Record<string, unknown>;
  if (status === 422) {
    expect(body['@context']).toBe('/api/contexts/ConstraintViolationList');
    expect(body['@type']).toBe('ConstraintViolationList'); // one string, as API Platform 4 answers
    expect(Array.isArray(body.violations)).toBe(true);
  } else {
    expect(body['@context']).toBe('/api/contexts/Error');
    expect(body['@type']).toBe('Error');
  }
  expect(body.type).toBe(`${api.base}/api/errors/${slug}`);
  expect(typeof body.title).toBe('string');
  expect((body.title as string).length).toBeGreaterThan(0);
  expect(body.status).toBe(status);
  expect(typeof body.detail).toBe('string');
  expect((body.detail as string).length).toBeGreaterThan(0);
  expect(body.instance).toBe(instance);
  expect(typeof body.request_id).toBe('string');
  expect(body.request_id).toBe(res.headers['x-request-id']);

  const typePath = new URL(body.type as string).pathname;
  if (!titles.has(typePath)) {
    const described = await api.http().get(typePath);
    expect(described.status).toBe(200);
    titles.set(typePath, described.body.title);
  }
  expect(body.title).toBe(titles.get(typePath));
  return body;
}

async function totalItems(auth: Record<string, string>): Promise<number> {
  const res = await api.http().get('/api/organizations').set(auth);
  expect(res.status).toBe(200);
  return res.body['hydra:totalItems'];
}

describe('Malformed requests', () => {
  it('When a POST body is not valid JSON, then 400 malformed-request and nothing is created', async () => {
    const partner = await api.partner();
    const res = await api.http().post('/api/organizations').set(partner.auth).set('Content-Type', 'application/json').send('{"name": "Acme",');
    await expectProblem(res, 400, 'malformed-request', '/api/organizations');
    expect(await totalItems(partner.auth)).toBe(0);
  });
});

describe('Authentication', () => {
  it('When no credentials are sent, then 401 with a Bearer challenge', async () => {
    const res = await api.http().get('/api/organizations');
    await expectProblem(res, 401, 'unauthorized', '/api/organizations');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.headers['www-authenticate']).not.toContain('invalid_token');
  });

  it('When a wrong token is sent as Authorization: Bearer, then 401 with error="invalid_token"', async () => {
    const res = await api.http().get('/api/organizations').set('Authorization', 'Bearer lo_this-token-was-never-issued');
    await expectProblem(res, 401, 'unauthorized', '/api/organizations');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('When a wrong token is sent as X-API-Key, then 401 with error="invalid_token"', async () => {
    const res = await api.http().get('/api/organizations').set('X-API-Key', 'lo_this-token-was-never-issued');
    await expectProblem(res, 401, 'unauthorized', '/api/organizations');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('When a valid token is sent as X-API-Key, then the caller is authenticated', async () => {
    const partner = await api.partner();
    await api.http().post('/api/organizations').set(partner.auth).send({ name: 'Keyed Org' }).expect(201);
    const res = await api.http().get('/api/organizations').set('X-API-Key', partner.token);
    expect(res.status).toBe(200);
    expect(res.body['hydra:totalItems']).toBe(1);
    expect(res.body['hydra:member'][0].name).toBe('Keyed Org');
  });
});

describe('Not found', () => {
  it('When a path matches no route, under /api or not, then 404 not-found', async () => {
    await expectProblem(await api.http().get('/api/nope'), 404, 'not-found', '/api/nope');
    await expectProblem(await api.http().get('/nope'), 404, 'not-found', '/nope');
  });

  it("When a partner asks for another partner's organization, then 404 exactly like a random UUID or a malformed id", async () => {
    const owner = await api.partner();
    const stranger = await api.partner();
    const created = await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Private Org' }).expect(201);

    const shape = async (id: string) => {
      const res = await api.http().get(`/api/organizations/${id}`).set(stranger.auth);
      const { instance, request_id, ...rest } = await expectProblem(res, 404, 'not-found', `/api/organizations/${id}`);
      return rest;
    };
    const foreign = await shape(created.body.id);
    expect(await shape(randomUUID())).toEqual(foreign);
    expect(await shape('abc')).toEqual(foreign);
    // The owner still sees it: the 404 is about the caller, not the organization.
    await api.http().get(`/api/organizations/${created.body.id}`).set(owner.auth).expect(200);
  });
});

describe('Method not allowed', () => {
  it('When PUT is sent to an organization, then 405 with Allow listing GET, PATCH, DELETE, HEAD', async () => {
    const partner = await api.partner();
    const created = await api.http().post('/api/organizations').set(partner.auth).send({ name: 'Put Target' }).expect(201);
    const path = `/api/organizations/${created.body.id}`;
    const res = await api.http().put(path).set(partner.auth).send({ name: 'Replaced' });
    await expectProblem(res, 405, 'method-not-allowed', path);
    expect(allowed(res)).toEqual(new Set(['GET', 'PATCH', 'DELETE', 'HEAD']));
    expect((await api.http().get(path).set(partner.auth)).body.name).toBe('Put Target');
  });

  it('When DELETE is sent to the collection, then 405 with Allow listing GET, POST, HEAD', async () => {
    const partner = await api.partner();
    const res = await api.http().delete('/api/organizations').set(partner.auth);
    await expectProblem(res, 405, 'method-not-allowed', '/api/organizations');
    expect(allowed(res)).toEqual(new Set(['GET', 'POST', 'HEAD']));
  });
});

describe('Content negotiation', () => {
  it('When Accept asks only for text/csv, then 406 not-acceptable', async () => {
    const partner = await api.partner();
    const res = await api.http().get('/api/organizations').set(partner.auth).set('Accept', 'text/csv');
    await expectProblem(res, 406, 'not-acceptable', '/api/organizations');
  });

  it('When Accept is application/json, then 200 plain JSON without @context and the context in a Link header', async () => {
    const partner = await api.partner();
    await api.http().post('/api/organizations').set(partner.auth).send({ name: 'Plain Org' }).expect(201);
    const res = await api.http().get('/api/organizations').set(partner.auth).set('Accept', 'application/json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json(;|$)/);
    expect(res.body).not.toHaveProperty('@context');
    expect(res.body['hydra:totalItems']).toBe(1);
    expect(res.body['hydra:member'][0].name).toBe('Plain Org');
    const contextLinks = linksWithRel(res, CONTEXT_REL);
    expect(contextLinks).toHaveLength(1);
    expect(contextLinks[0]).toContain(`<${api.base}/api/contexts/Organization>`);
  });

  it('When a POST body is text/plain, then 415 and nothing is created', async () => {
    const partner = await api.partner();
    const res = await api.http().post('/api/organizations').set(partner.auth).set('Content-Type', 'text/plain').send('{"name":"Sneaky"}');
    await expectProblem(res, 415, 'unsupported-media-type', '/api/organizations');
    expect(await totalItems(partner.auth)).toBe(0);
  });

  it('When a PATCH body is application/json instead of merge-patch, then 415 and the organization is unchanged', async () => {
    const partner = await api.partner();
    const created = await api.http().post('/api/organizations').set(partner.auth).send({ name: 'Old Name' }).expect(201);
    const path = `/api/organizations/${created.body.id}`;
    const res = await api.http().patch(path).set(partner.auth).set('Content-Type', 'application/json').send(JSON.stringify({ name: 'New Name' }));
    await expectProblem(res, 415, 'unsupported-media-type', path);
    const after = await api.http().get(path).set(partner.auth);
    expect(after.body.name).toBe('Old Name');
    expect(after.body.updated_at).toBe(created.body.updated_at);
  });
});

describe('Body size', () => {
  it('When a body is larger than 1 MiB, then 413 payload-too-large and nothing is created', async () => {
    const partner = await api.partner();
    const body = JSON.stringify({ name: 'x'.repeat(1024 * 1024) });
    const res = await api.http().post('/api/organizations').set(partner.auth).set('Content-Type', 'application/json').send(body);
    await expectProblem(res, 413, 'payload-too-large', '/api/organizations');
    expect(await totalItems(partner.auth)).toBe(0);
  });
});

describe('Validation', () => {
  const longKey = 'k'.repeat(41);

  /** With strict handling, so that a property the client may not write is a violation too. */
  async function post422(auth: Record<string, string>, body: unknown) {
    const res = await api.http().post('/api/organizations').set(auth).set('Prefer', 'handling=strict').set('Content-Type', 'application/ld+json').send(JSON.stringify(body));
    const problem = await expectProblem(res, 422, 'validation-failed', '/api/organizations');
    const violations = problem.violations as { propertyPath: string; message: string; code: string }[];
    for (const v of violations) {
      expect(typeof v.propertyPath).toBe('string');
      expect(typeof v.message).toBe('string');
      expect(v.message.length).toBeGreaterThan(0);
      expect(typeof v.code).toBe('string');
      expect(v.code.length).toBeGreaterThan(0);
    }
    return violations;
  }

  it('When a POST breaks several rules at once, then 422 lists one violation per problem at its exact path, and nothing is created', async () => {
    const partner = await api.partner();
    const violations = await post422(partner.auth, {
      name: '',
      slug: 'Bad Slug',
      metadata: { k: 5, [longKey]: 'v' },
      ip_allowlist: ['10.0.0.0/8', 'nope'],
      billing_email: 'x',
      language: 'not a tag!',
      color: 'red',
    });
    const paths = violations.map((v) => v.propertyPath).sort();
    expect(paths).toEqual(['name', 'slug', 'metadata.k', `metadata.${longKey}`, 'ip_allowlist[1]', 'billing_email', 'language', 'color'].sort());
    expect(violations.find((v) => v.propertyPath === 'color')!.code).toBe('unknown_property');
    expect(await totalItems(partner.auth)).toBe(0);
  });

  it('When name is missing, then 422 with a "required" violation at name', async () => {
    const partner = await api.partner();
    const violations = await post422(partner.auth, { slug: 'no-name' });
    expect(violations).toEqual([expect.objectContaining({ propertyPath: 'name', code: 'required' })]);
    expect(await totalItems(partner.auth)).toBe(0);
  });

  it('When name has 4001 characters, then 422; with 4000 characters, then 201', async () => {
    const partner = await api.partner();
    const violations = await post422(partner.auth, { name: 'n'.repeat(4001) });
    expect(violations).toEqual([expect.objectContaining({ propertyPath: 'name' })]);
    expect(await totalItems(partner.auth)).toBe(0);
    const ok = await api.http().post('/api/organizations').set(partner.auth).send({ name: 'n'.repeat(4000) });
    expect(ok.status).toBe(201);
    expect(ok.body.name).toHaveLength(4000);
    expect(await totalItems(partner.auth)).toBe(1);
  });

  it('When name is only spaces, then 422 at name because it is empty once trimmed', async () => {
    const partner = await api.partner();
    const violations = await post422(partner.auth, { name: '     ' });
    expect(violations).toEqual([expect.objectContaining({ propertyPath: 'name' })]);
    expect(await totalItems(partner.auth)).toBe(0);
  });

  it('When the body is a JSON array, then 422 and nothing is created', async () => {
    const partner = await api.partner();
    const violations = await post422(partner.auth, [{ name: 'In An Array' }]);
    expect(violations.length).toBeGreaterThan(0);
    expect(await totalItems(partner.auth)).toBe(0);
  });
});

describe('Internal errors', () => {
  it('When the database fails, then 500 internal-error without a stack trace or file path', async () => {
    const broken = await startApi();
    try {
      const partner = await broken.partner();
      await broken.http().get('/api/organizations').set(partner.auth).expect(200);
      await broken.db.close();
      const res = await broken.http().get('/api/organizations').set(partner.auth);
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json(;|$)/);
      expect(res.body).toMatchObject({ '@context': '/api/contexts/Error', '@type': 'Error', type: `${broken.base}/api/errors/internal-error`, status: 500, instance: '/api/organizations' });
      expect(res.body.request_id).toBe(res.headers['x-request-id']);
      expect(typeof res.body.detail).toBe('string');
      expect(res.text).not.toMatch(/\bat\s+\S+\s+\(/);
      expect(res.text).not.toMatch(/\bat\s+(file:\/\/|\/|node:)/);
      expect(res.text).not.toMatch(/\/work\/|node_modules|\.ts:\d|\.js:\d|file:\/\//);
      expect(res.text).not.toMatch(/sqlite|database connection/i);
    } finally {
      await broken.close();
    }
  });
});

describe('Request ids', () => {
  it('When a client sends X-Request-Id "abc-123", then it is echoed in the header and in a problem', async () => {
    const ok = await api.http().get('/api').set('X-Request-Id', 'abc-123');
    expect(ok.status).toBe(200);
    expect(ok.headers['x-request-id']).toBe('abc-123');
    const problem = await api.http().get('/api/organizations').set('X-Request-Id', 'abc-123');
    expect(problem.headers['x-request-id']).toBe('abc-123');
    expect(problem.body.request_id).toBe('abc-123');
  });

  it('When no X-Request-Id is sent, then each response gets its own id', async () => {
    const a = await api.http().get('/api/nope');
    const b = await api.http().get('/api/nope');
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    expect(a.body.request_id).toBe(a.headers['x-request-id']);
  });
});

describe('API documentation link', () => {
  it('When any response is sent (success, JSON, error, 404), then it carries exactly one apiDocumentation Link to the absolute docs URL', async () => {
    const partner = await api.partner();
    const responses = [
      await api.http().get('/api'),
      await api.http().get('/api/organizations').set(partner.auth),
      await api.http().get('/api/organizations').set(partner.auth).set('Accept', 'application/json'),
      await api.http().post('/api/organizations').set(partner.auth).send({}),
      await api.http().get('/api/organizations'),
      await api.http().get('/api/nope'),
      await api.http().get('/nope'),
      await api.http().delete('/api/organizations').set(partner.auth),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 422, 401, 404, 404, 405]);
    for (const res of responses) {
      const links = linksWithRel(res, API_DOCUMENTATION_REL);
      expect(links).toHaveLength(1);
      expect(links[0]).toMatch(new RegExp(`^<${api.base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/api/docs\\.jsonld>;`));
    }
  });
});
