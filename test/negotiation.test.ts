import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Response } from 'supertest';
import { startApi, type Api } from './support/harness.js';
import { expand, flatten } from './support/jsonld.js';
import { VOCABULARY } from '../src/resources/description.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const JSON_LD = 'application/ld+json';
const EXPANDED = 'http://www.w3.org/ns/json-ld#expanded';
const FLATTENED = 'http://www.w3.org/ns/json-ld#flattened';
const profiled = (profile: string) => `${JSON_LD}; profile="${profile}"`;

const SETTINGS = {
  name: 'Same In Every Form',
  metadata: { crm_id: 'C-7', region: 'eu' },
  billing_email: 'billing@forms.example',
  language: 'fr-CA',
  invites_enabled: false,
  members_can_invite: true,
  ip_allowlist: ['10.0.0.0/8', '2001:db8::/32', '127.0.0.0/8'],
  auto_join_domains: ['forms.example'],
  max_members: 7,
};

function post(auth: Record<string, string>, body: unknown, headers: Record<string, string> = {}) {
  return api.http().post('/api/organizations').set(auth).set(headers).set('Content-Type', JSON_LD).send(JSON.stringify(body));
}

/** What was stored, without what differs by design between two organizations. */
function storedSettings(body: Record<string, unknown>) {
  return Object.fromEntries(Object.keys(SETTINGS).map((key) => [key, body[key]]));
}

/** Our terms under other names, mapped to the same IRIs, as another vocabulary's client would write. */
function foreignContextBody(slug: string) {
  const docs = VOCABULARY;
  return {
    '@context': {
      label: 'https://schema.org/name',
      handle: `${docs}slug`,
      notes: { '@id': `${docs}metadata`, '@type': '@json' },
      invoicesTo: `${docs}billing_email`,
      locale: `${docs}language`,
      invitesOpen: `${docs}invites_enabled`,
      anyoneInvites: `${docs}members_can_invite`,
      networks: `${docs}ip_allowlist`,
      domains: `${docs}auto_join_domains`,
      seats: `${docs}max_members`,
    },
    label: SETTINGS.name,
    handle: slug,
    notes: SETTINGS.metadata,
    invoicesTo: SETTINGS.billing_email,
    locale: SETTINGS.language,
    invitesOpen: SETTINGS.invites_enabled,
    anyoneInvites: SETTINGS.members_can_invite,
    networks: SETTINGS.ip_allowlist,
    domains: SETTINGS.auto_join_domains,
    seats: SETTINGS.max_members,
  };
}

function expectProblem(res: Response, status: number, slug: string) {
  expect(res.status).toBe(status);
  expect(res.type).toBe('application/problem+json');
  expect(res.body.type).toBe(`${api.base}/api/errors/${slug}`);
}

async function totalItems(auth: Record<string, string>): Promise<number> {
  return (await api.http().get('/api/organizations').set(auth)).body['hydra:totalItems'];
}

describe('Reading a body in any JSON-LD form', () => {
  it('When the same organization is POSTed compacted, expanded, flattened and in another inline context, then the four are stored alike', async () => {
    const partner = await api.partner();
    const compacted = (slug: string) => ({ '@context': '/api/contexts/Organization', '@type': 'Organization', ...SETTINGS, slug });
    const bodies = {
      'forms-compacted': compacted('forms-compacted'),
      'forms-expanded': await expand(api, compacted('forms-expanded'), '/api/organizations'),
      'forms-flattened': await flatten(api, compacted('forms-flattened'), '/api/organizations', '/api/contexts/Organization'),
      'forms-foreign': foreignContextBody('forms-foreign'),
    };
    expect(Array.isArray(bodies['forms-expanded'])).toBe(true);
    expect(bodies['forms-flattened']['@graph']).toHaveLength(1);

    for (const [slug, body] of Object.entries(bodies)) {
      const created = await post(partner.auth, body);
      expect(created.status).toBe(201);
      const read = await api.http().get(created.body['@id']).set(partner.auth);
      expect(read.body.slug).toBe(slug);
      expect(storedSettings(read.body)).toEqual(SETTINGS);
    }
  });

  it('When an expanded body describes another type, then 422 invalid_type on @type', async () => {
    const partner = await api.partner();
    const res = await post(partner.auth, [{ '@type': ['https://schema.org/Person'], 'https://schema.org/name': [{ '@value': 'Not An Org' }] }]);
    expectProblem(res, 422, 'validation-failed');
    expect(res.body.violations).toEqual([expect.objectContaining({ propertyPath: '@type', code: 'invalid_type' })]);
  });

  it('When a body describes two top-level nodes, then 422 several_nodes and nothing is created', async () => {
    const partner = await api.partner();
    const res = await post(partner.auth, [{ 'https://schema.org/name': 'First' }, { 'https://schema.org/name': 'Second' }]);
    expectProblem(res, 422, 'validation-failed');
    expect(res.body.violations).toEqual([expect.objectContaining({ propertyPath: '@graph', code: 'several_nodes' })]);
    expect(await totalItems(partner.auth)).toBe(0);
  });

  it('When a merge patch carries another context, then it stays plain JSON: 422 unsupported_context on @context', async () => {
    const partner = await api.partner();
    const org = (await post(partner.auth, { name: 'Patched Plainly' })).body;
    const res = await api
      .http()
      .patch(org['@id'])
      .set(partner.auth)
      .set('Content-Type', 'application/merge-patch+json')
      .send(JSON.stringify({ '@context': { label: 'https://schema.org/name' }, label: 'Renamed' }));
    expectProblem(res, 422, 'validation-failed');
    expect(res.body.violations).toEqual(expect.arrayContaining([expect.objectContaining({ propertyPath: '@context', code: 'unsupported_context' })]));
  });
});

describe('Remote contexts', () => {
  let contextServer: Server;
  let contextUrl: string;
  let requestsReceived = 0;
  beforeAll(async () => {
    contextServer = createServer((_req, res) => {
      requestsReceived++;
      res.writeHead(200, { 'Content-Type': JSON_LD }).end(JSON.stringify({ '@context': { label: 'https://schema.org/name' } }));
    });
    await new Promise<void>((resolve) => contextServer.listen(0, '127.0.0.1', resolve));
    contextUrl = `http://127.0.0.1:${(contextServer.address() as AddressInfo).port}/context.jsonld`;
  });
  afterAll(() => new Promise<void>((resolve) => contextServer.close(() => resolve())));

  it('When a body refers to a remote @context, directly, in a list or by @import, then 422 unsupported-context naming it and no request leaves the process', async () => {
    const partner = await api.partner();
    const contexts = [contextUrl, ['/api/contexts/Organization', contextUrl], { '@version': 1.1, '@import': contextUrl }];
    for (const context of contexts) {
      const res = await post(partner.auth, { '@context': context, label: 'Remote Context Org' });
      expectProblem(res, 422, 'unsupported-context');
      expect(res.body.detail).toContain(contextUrl);
      expect(res.body.violations).toEqual([expect.objectContaining({ propertyPath: '@context', code: 'unsupported_context' })]);
    }
    expect(requestsReceived).toBe(0);
    expect(await totalItems(partner.auth)).toBe(0);
  });

  /** Every place a remote context can hide in a body, each around a term our context knows. */
  const hidden: [string, (url: string) => unknown][] = [
    ['at the top level', (url) => ({ '@context': url, label: 'Hidden' })],
    ['by @import', (url) => ({ '@context': { '@import': url }, label: 'Hidden' })],
    ['scoped on a property', (url) => ({ '@context': { label: 'https://schema.org/name', meta: { '@id': 'https://schema.org/about', '@context': url } }, label: 'Hidden' })],
    ['scoped on a property, in a list', (url) => ({ '@context': { label: 'https://schema.org/name', meta: { '@id': 'https://schema.org/about', '@context': [{}, url] } }, label: 'Hidden' })],
    ['by @import in a scoped context', (url) => ({ '@context': { label: 'https://schema.org/name', meta: { '@id': 'https://schema.org/about', '@context': { '@import': url } } }, label: 'Hidden' })],
    ['scoped on a type', (url) => ({ '@context': { label: 'https://schema.org/name', Org: { '@id': 'https://schema.org/Organization', '@context': url } }, '@type': 'Org', label: 'Hidden' })],
    ['in a nested inline context', (url) => ({ '@context': { label: 'https://schema.org/name', about: 'https://schema.org/about' }, label: 'Hidden', about: { '@context': url, label: 'Inner' } })],
    ['in a context nested in a scoped context', (url) => ({ '@context': { label: 'https://schema.org/name', meta: { '@id': 'https://schema.org/about', '@context': { inner: { '@id': 'https://schema.org/name', '@context': url } } } }, label: 'Hidden' })],
  ];
  it.each(hidden)('When a remote @context appears %s, then 422 unsupported-context naming it, with its violation, and nothing is fetched or stored', async (_where, body) => {
    const partner = await api.partner();
    const before = requestsReceived;
    const res = await post(partner.auth, body(contextUrl));
    expectProblem(res, 422, 'unsupported-context');
    expect(res.body.detail).toContain(contextUrl);
    expect(res.body.violations).toEqual([{ propertyPath: '@context', code: 'unsupported_context', message: `This @context is not read: ${contextUrl}.`, hint: expect.any(String) }]);
    expect(requestsReceived).toBe(before);
    expect(await totalItems(partner.auth)).toBe(0);
  });
});

describe('Output profiles', () => {
  async function readBoth(path: string, auth: Record<string, string>, accept: string) {
    const plain = await api.http().get(path).set(auth);
    const shaped = await api.http().get(path).set(auth).set('Accept', accept);
    expect(shaped.status).toBe(200);
    return { plain, shaped };
  }

  async function organizationPaths() {
    const partner = await api.partner();
    const org = (await post(partner.auth, { name: 'Profiled', metadata: { crm_id: 'P-1' }, ip_allowlist: ['10.0.0.0/8', '127.0.0.0/8'] })).body;
    return { auth: partner.auth, paths: [org['@id'] as string, '/api/organizations'] };
  }

  it('When an organization and the collection are read with the expanded profile, then each equals jsonld.expand of the default body', async () => {
    const { auth, paths } = await organizationPaths();
    for (const path of paths) {
      const { plain, shaped } = await readBoth(path, auth, profiled(EXPANDED));
      expect(shaped.headers['content-type']).toBe(`${JSON_LD}; profile="${EXPANDED}"; charset=utf-8`);
      expect(shaped.headers.vary).toMatch(/\bAccept\b/);
      expect(JSON.parse(shaped.text)).toEqual(await expand(api, plain.body, path));
    }
  });

  it('When an organization and the collection are read with the flattened profile, then a @graph in our own context, with absolute @ids', async () => {
    const { auth, paths } = await organizationPaths();
    for (const path of paths) {
      const { plain, shaped } = await readBoth(path, auth, profiled(FLATTENED));
      expect(shaped.headers['content-type']).toBe(`${JSON_LD}; profile="${FLATTENED}"; charset=utf-8`);
      const body = JSON.parse(shaped.text);
      expect(body['@context']).toBe(plain.body['@context']);
      expect(body['@graph'].map((node: { '@id': string }) => node['@id'])).toContain(`${api.base}${plain.body['@id']}`);
      expect(await expand(api, body, path)).toEqual(expect.arrayContaining([expect.objectContaining({ '@id': `${api.base}${plain.body['@id']}` })]));
    }
  });

  it('When the profile is unknown or compacted, then the normal compacted body', async () => {
    const { auth, paths } = await organizationPaths();
    for (const profile of ['https://example.com/some-profile', 'http://www.w3.org/ns/json-ld#compacted']) {
      const { plain, shaped } = await readBoth(paths[0], auth, profiled(profile));
      expect(shaped.headers['content-type']).toBe(`${JSON_LD}; charset=utf-8`);
      expect(shaped.body).toEqual(plain.body);
    }
  });

  it('When Accept prefers plain JSON to a profiled JSON-LD, then plain JSON', async () => {
    const { auth, paths } = await organizationPaths();
    const res = await api.http().get(paths[0]).set(auth).set('Accept', `application/json, ${profiled(EXPANDED)}; q=0.5`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
    expect(res.body).not.toHaveProperty('@context');
  });

  it('When a profiled read fails, then the problem document is as usual', async () => {
    const partner = await api.partner();
    const res = await api.http().get('/api/organizations/00000000-0000-4000-8000-000000000000').set(partner.auth).set('Accept', profiled(EXPANDED));
    expectProblem(res, 404, 'not-found');
    expect(res.body['@context']).toBe('/api/contexts/Error');
  });
});

describe('Hostile bodies', () => {
  function nested(levels: number): Record<string, unknown> {
    let value: Record<string, unknown> = { leaf: 'x' };
    for (let i = 0; i < levels; i++) value = { deeper: value };
    return value;
  }

  it('When a body nests 100 levels deep, in another context or in ours, then 422 document-too-complex comes back quickly', async () => {
    const partner = await api.partner();
    const bodies = [
      { '@context': { '@vocab': 'https://example.com/' }, name: 'Deep', ...nested(100) },
      { name: 'Deep', metadata: nested(100) },
    ];
    const started = Date.now();
    const [foreign, ours] = await Promise.all(bodies.map((body) => post(partner.auth, body)));
    expect(Date.now() - started).toBeLessThan(1000);
    for (const res of [foreign, ours]) {
      expectProblem(res, 422, 'document-too-complex');
      expect(res.body.detail).toContain('32 levels');
    }
  });

  it('When a body holds too many values, or contexts that would multiply the work, then 422 document-too-complex at once', async () => {
    const partner = await api.partner();
    const terms = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`t${i}`, `https://example.com/t${i}`]));
    const manyContexts = { '@context': { '@vocab': 'https://example.com/', ...terms }, '@graph': Array.from({ length: 2000 }, (_, i) => ({ '@context': { [`z${i}`]: 'https://example.com/z' }, a: 1 })) };
    const manyNodes = Array.from({ length: 600 }, (_, i) => ({ 'https://schema.org/name': `Org ${i}` }));
    for (const body of [manyContexts, manyNodes]) {
      const started = Date.now();
      const res = await post(partner.auth, body);
      expect(Date.now() - started).toBeLessThan(1000);
      expectProblem(res, 422, 'document-too-complex');
    }
  });

  it('When, with Prefer: handling=strict, a key maps to no IRI, or to an IRI that is none of our terms, then 422 naming each', async () => {
    const partner = await api.partner();
    const strict = { Prefer: 'handling=strict' };
    const res = await post(partner.auth, { '@context': { label: 'https://schema.org/name' }, label: 'Unmapped', colour: 'red', shade: 'dark', 'https://schema.org/color': 'blue' }, strict);
    expectProblem(res, 422, 'validation-failed');
    expect(res.body.violations).toEqual([
      expect.objectContaining({ propertyPath: 'colour', code: 'unmapped_property' }),
      expect.objectContaining({ propertyPath: 'shade', code: 'unmapped_property' }),
    ]);
    const iri = await post(partner.auth, { '@context': { label: 'https://schema.org/name' }, label: 'Foreign IRI', 'https://schema.org/color': 'blue' }, strict);
    expectProblem(iri, 422, 'validation-failed');
    expect(iri.body.violations).toEqual([expect.objectContaining({ propertyPath: 'schema:color', code: 'unknown_property' })]);
    expect(await totalItems(partner.auth)).toBe(0);
  });

  it('When, by default, a key maps to no IRI or to an IRI that is none of our terms, then it is ignored, as a JSON-LD processor drops it', async () => {
    const partner = await api.partner();
    const res = await post(partner.auth, { '@context': { label: 'https://schema.org/name' }, label: 'Lenient', colour: 'red', 'https://schema.org/color': 'blue' });
    expect(res.status).toBe(201);
    expect(res.headers['preference-applied']).toBeUndefined();
    expect(res.body.name).toBe('Lenient');
    expect(res.body).not.toHaveProperty('colour');
    expect(JSON.stringify(res.body)).not.toContain('blue');
  });

  it('When a body is not valid JSON-LD, then 400 malformed-request, not a 500', async () => {
    const partner = await api.partner();
    const res = await post(partner.auth, { '@context': { label: { '@id': 42 } }, label: 'Broken' });
    expectProblem(res, 400, 'malformed-request');
    expect(res.body.detail).toMatch(/JSON-LD/);
  });
});
