/**
 * Issue 15, items 4 and 13: no body under BODY_LIMIT makes the service do more than a few
 * milliseconds of work. Depth and value count are bounded on the bytes before anything parses
 * or walks them; sizes (maxItems, maxProperties, maxLength) are checked before what is inside;
 * a 422 lists at most 50 violations and counts the rest. What these bodies cost is measured by
 * bench/hostile-bodies.js; these tests assert the answers.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { startApi, type Api } from './support/harness.js';

type Auth = Record<string, string>;

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const MERGE_PATCH = 'application/merge-patch+json';

/** Raw JSON text: a body nested this deep could not even be written with JSON.stringify. */
const nestedArrays = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const list = (n: number, item: string) => `[${Array(n).fill(item).join(',')}]`;

const postText = (path: string, auth: Auth, text: string, headers: Record<string, string> = {}) =>
  api.http().post(path).set(auth).set(headers).set('Content-Type', 'application/json').send(text);
const patchText = (path: string, auth: Auth, text: string) => api.http().patch(path).set(auth).set('Content-Type', MERGE_PATCH).send(text);

function expectProblem(res: Response, status: number, slug: string): void {
  expect(res.status).toBe(status);
  expect(res.type).toBe('application/problem+json');
  expect(res.body.type).toBe(`${api.base}/api/errors/${slug}`);
}

async function organization(auth: Auth, body: object = {}): Promise<Record<string, any>> {
  const res = await api.http().post('/api/organizations').set(auth).send({ name: 'Bounded', ...body });
  expect(res.status).toBe(201);
  return res.body;
}

const count = async (auth: Auth) => (await api.http().get('/api/organizations').set(auth)).body['hydra:totalItems'];
const codes = (res: Response) => (res.body.violations as { propertyPath: string; code: string }[]).map((v) => `${v.propertyPath} ${v.code}`);

describe('Bodies nested or numerous beyond what the API reads', () => {
  it('When an organization is created with metadata nested 150,000 levels deep and an Idempotency-Key, then 422 document-too-complex naming the depth, and nothing is created', async () => {
    const partner = await api.partner();
    const res = await postText('/api/organizations', partner.auth, `{"name":"Deep","metadata":${nestedArrays(150_000)}}`, { 'Idempotency-Key': 'deep-metadata' });
    expectProblem(res, 422, 'document-too-complex');
    expect(res.body.detail).toContain('more than 32 levels');
    expect(await count(partner.auth)).toBe(0);
  });

  it('When the body is objects and arrays nested 150,000 levels deep, with an Idempotency-Key, then 422 document-too-complex, again on a retry', async () => {
    const partner = await api.partner();
    const text = '{"a":['.repeat(75_000) + ']}'.repeat(75_000);
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await postText('/api/organizations', partner.auth, text, { 'Idempotency-Key': 'deep-body' });
      expectProblem(res, 422, 'document-too-complex');
    }
  });

  it('When a merge patch nests metadata 150,000 levels deep, then 422 document-too-complex and the organization is unchanged', async () => {
    const partner = await api.partner();
    const org = await organization(partner.auth, { metadata: { crm_id: 'C-1' } });
    const res = await patchText(org['@id'], partner.auth, `{"metadata":{"crm_id":${nestedArrays(150_000)}}}`);
    expectProblem(res, 422, 'document-too-complex');
    expect((await api.http().get(org['@id']).set(partner.auth)).body.metadata).toEqual({ crm_id: 'C-1' });
  });

  it('When a member is added, an invitation sent and an installation patched with bodies nested 33 levels, then each is 422 document-too-complex; 32 levels are read', async () => {
    const owner = await api.partner();
    const crm = await api.partner('CRM');
    const org = await organization(owner.auth);
    const installation = await api.http().post(org.integrations).set(owner.auth).send({ partner: crm.email, scopes: ['organization:read'] });
    expect(installation.status).toBe(201);
    const deep = (levels: number) => `{"email":${nestedArrays(levels - 1)}}`; // the body itself is the first level
    const writes = [
      () => postText(org.all_members, owner.auth, deep(33)),
      () => postText(org.invitations, owner.auth, deep(33)),
      () => patchText(installation.body['@id'], owner.auth, `{"config":${nestedArrays(32)}}`),
    ];
    for (const write of writes) expectProblem(await write(), 422, 'document-too-complex');
    // One level less is read, and refused by its schema as usual.
    expectProblem(await postText(org.all_members, owner.auth, deep(32)), 422, 'validation-failed');
  });

  it('When a body holds more than 1,000 values, such as the 150,000-item ip_allowlist of issue 15, then a 422 document-too-complex of under 2 KB names the count', async () => {
    const partner = await api.partner();
    const amplifier = await postText('/api/organizations', partner.auth, `{"name":"Acme","ip_allowlist":${list(150_000, '"x"')}}`);
    expectProblem(amplifier, 422, 'document-too-complex');
    expect(amplifier.body.detail).toContain('more than 1,000 values');
    expect(Buffer.byteLength(amplifier.text)).toBeLessThan(2048);
    // 1,000 values exactly (the body, its two members and 997 items) are read, and the list refused by its size.
    const atLimit = await postText('/api/organizations', partner.auth, `{"name":"Acme","ip_allowlist":${list(997, '"x"')}}`);
    expectProblem(atLimit, 422, 'validation-failed');
    expect(codes(atLimit)).toEqual(['ip_allowlist too_many_items']);
    expect(await count(partner.auth)).toBe(0);
  });

  it('When strings hold brackets, commas and escaped quotes and backslashes, then none of it counts as structure: 201', async () => {
    const partner = await api.partner();
    const name = `${'['.repeat(100)}${',{'.repeat(1_500)}\\"\\${'\\"'.repeat(50)}`;
    const res = await api.http().post('/api/organizations').set(partner.auth).send({ name, metadata: { '[{,': '\\' } });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe(name);
  });

  it('When an organization is created with every list and map full, the largest valid body, then 201', async () => {
    const partner = await api.partner();
    const res = await api.http().post('/api/organizations').set(partner.auth).send({
      name: 'Full',
      metadata: Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`key_${i}`, 'v'.repeat(600)])),
      // The caller's own address among them: a list that leaves it out would lock the caller out (422).
      ip_allowlist: ['127.0.0.0/8', ...Array.from({ length: 99 }, (_, i) => `10.0.${i}.0/24`)],
      auto_join_domains: Array.from({ length: 100 }, (_, i) => `d${i}.example.com`),
    });
    expect(res.status).toBe(201);
    expect(res.body.ip_allowlist).toHaveLength(100);
  });
});

describe('Sizes are checked before what they hold', () => {
  it('When ip_allowlist holds 900 items, each invalid and unstorable, then one too_many_items violation: no item is read', async () => {
    const partner = await api.partner();
    const res = await postText('/api/organizations', partner.auth, `{"name":"Acme","ip_allowlist":${list(900, '"\\u0000"')}}`);
    expectProblem(res, 422, 'validation-failed');
    expect(res.body.violations).toEqual([{ propertyPath: 'ip_allowlist', code: 'too_many_items', message: 'This list should have 100 items or less.', payload: { limit: 100 } }]);
    expect(res.body.violation_count).toBe(1);
  });

  it('When a list is too long and other values are invalid too, then the size violation and every other one are reported', async () => {
    const partner = await api.partner();
    const res = await api.http().post('/api/organizations').set(partner.auth).set('Prefer', 'handling=strict').send({ name: 'Acme', slug: 'Not A Slug', billing_email: 'nobody', ip_allowlist: Array(500).fill('x'), colour: 'red' });
    expectProblem(res, 422, 'validation-failed');
    expect(codes(res).sort()).toEqual(['billing_email invalid_format', 'colour unknown_property', 'ip_allowlist too_many_items', 'slug invalid_format']);
  });

  it('When a slug and an email are longer than their maxLength, then too_long only: their pattern and format are not run over them', async () => {
    const partner = await api.partner();
    const res = await api.http().post('/api/organizations').set(partner.auth).send({ name: 'Acme', slug: 'A'.repeat(200_000), billing_email: `${'a'.repeat(300)}@`, auto_join_domains: ['x'.repeat(300), 'y'.repeat(300)] });
    expectProblem(res, 422, 'validation-failed');
    expect(codes(res).sort()).toEqual(['auto_join_domains[0] too_long', 'auto_join_domains[1] too_long', 'billing_email too_long', 'slug too_long']);
  });

  it('When, with Prefer: handling=strict, a body has 900 unknown properties, then one unknown_properties violation counting them; with 50, each is named', async () => {
    const partner = await api.partner();
    const unknown = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`unknown_${i}`, i]));
    const strict = () => api.http().post('/api/organizations').set(partner.auth).set('Prefer', 'handling=strict');
    const many = await strict().send({ name: 'Acme', ...unknown(900) });
    expectProblem(many, 422, 'validation-failed');
    expect(many.body.violations).toEqual([expect.objectContaining({ propertyPath: '', code: 'unknown_properties', payload: { limit: 50, count: 900 } })]);
    const fifty = await strict().send({ name: 'Acme', ...unknown(50) });
    expect(codes(fifty)).toEqual(Array.from({ length: 50 }, (_, i) => `unknown_${i} unknown_property`));
  });

  it('When, by default, a body has 900 unknown properties, then they are ignored and the organization is created from the rest', async () => {
    const partner = await api.partner();
    const res = await api.http().post('/api/organizations').set(partner.auth).send({ name: 'Acme', ...Object.fromEntries(Array.from({ length: 900 }, (_, i) => [`unknown_${i}`, i])) });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).filter((key) => key.startsWith('unknown_'))).toEqual([]);
  });

  it('When a merge patch carries more than twice 25 entries for metadata or config, then too_many_entries; 25 removals and 25 new keys are merged', async () => {
    const owner = await api.partner();
    const crm = await api.partner('CRM');
    const keys = (prefix: string, n: number, value: string | null) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, value]));
    const org = await organization(owner.auth, { metadata: keys('old', 25, 'v') });

    const tooMany = await api.http().patch(org['@id']).set(owner.auth).set('Content-Type', MERGE_PATCH).send({ metadata: keys('gone', 51, null) });
    expectProblem(tooMany, 422, 'validation-failed');
    expect(tooMany.body.violations).toEqual([expect.objectContaining({ propertyPath: 'metadata', code: 'too_many_entries', payload: { limit: 50 } })]);

    const swap = await api.http().patch(org['@id']).set(owner.auth).set('Content-Type', MERGE_PATCH).send({ metadata: { ...keys('old', 25, null), ...keys('new', 25, 'w') } });
    expect(swap.status).toBe(200);
    expect(swap.body.metadata).toEqual(keys('new', 25, 'w'));

    const installation = await api.http().post(org.integrations).set(owner.auth).send({ partner: crm.email, scopes: ['organization:read'] });
    const config = await api.http().patch(installation.body['@id']).set(owner.auth).set('Content-Type', MERGE_PATCH).send({ config: keys('gone', 60, null) });
    expectProblem(config, 422, 'validation-failed');
    expect(codes(config)).toEqual(['config too_many_entries']);
  });
});

describe('A 422 lists at most 50 violations', () => {
  it('When a body breaks more than 50 rules, then the first 50 are listed, violation_count counts them all, the detail says how many more, and the answer stays under 32 KB', async () => {
    const partner = await api.partner();
    const res = await api.http().post('/api/organizations').set(partner.auth).send({ ip_allowlist: Array(100).fill('x'), auto_join_domains: Array.from({ length: 100 }, (_, i) => `x${i}`) });
    expectProblem(res, 422, 'validation-failed');
    const total = res.body.violation_count as number;
    expect(total).toBeGreaterThan(200); // name missing, 100 networks, 100 domains without a dot
    expect(res.body.violations).toHaveLength(50);
    expect(res.body.detail).toMatch(new RegExp(`^${total} values in the request are not valid: .*, and ${total - 50} more \\(the first 50 are listed\\)\\.$`));
    expect(Buffer.byteLength(res.text)).toBeLessThan(32 * 1024);
  });

  it('When a body breaks one rule, then violation_count is 1', async () => {
    const partner = await api.partner();
    const res = await api.http().post('/api/organizations').set(partner.auth).send({ name: '' });
    expectProblem(res, 422, 'validation-failed');
    expect(res.body.violations).toHaveLength(1);
    expect(res.body.violation_count).toBe(1);
  });
});
