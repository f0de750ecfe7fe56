import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ErrorObject } from 'ajv';
import { toViolations } from '../src/input/schema-violations.js';
import { PROBLEM_TYPES, type ProblemSlug } from '../src/problems/problem-types.js';
import { VIOLATION_CODES, VIOLATIONS, violationCodesOf, type ViolationCode } from '../src/problems/violation.js';
import { startApi, type Api } from './support/harness.js';

/**
 * Issue 16: one way to build a violation. Every 422 violation comes from src/problems/violation.ts,
 * one wording per code; this test holds the code to that (no violation written by hand anywhere
 * in src/), provokes every code over HTTP and checks the answer carries it with its one wording's
 * shape, and checks that the problem types' pages list every code. The OpenAPI document's
 * ConstraintViolation.code is the same list, so the contract fuzzer refuses any other code.
 */

type Caller = Awaited<ReturnType<Api['partner']>>;
type Node = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Answer = { status: number; body: Node };

const JSON_LD = 'application/ld+json';
const MERGE_PATCH = 'application/merge-patch+json';

let api: Api;
let owner: Caller;
let org: Node;

beforeAll(async () => {
  api = await startApi({ rateLimits: { perCredential: 0, anonymous: 0 } });
  owner = await api.partner('Owner');
  org = (await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Violations Co' })).body;
});
afterAll(() => api.close());

const post = (url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> =>
  api.http().post(url).set(owner.auth).set({ 'Content-Type': JSON_LD, ...headers }).send(typeof body === 'string' ? body : JSON.stringify(body));
const patch = (url: string, body: unknown): Promise<Answer> => api.http().patch(url).set(owner.auth).set('Content-Type', MERGE_PATCH).send(JSON.stringify(body));
const strict = { Prefer: 'handling=strict' };
const many = <T,>(n: number, item: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => item(i));

/** A request that answers each code, as a real client could send it. */
const PROVOKE: Partial<Record<ViolationCode, () => Promise<Answer>>> = {
  required: () => post('/api/organizations', {}),
  unknown_property: () => post('/api/organizations', { name: 'x', colour: 'red' }, strict),
  unknown_properties: () => post('/api/organizations', { name: 'x', ...Object.fromEntries(many(60, (i) => [`unknown_${i}`, 1] as const)) }, strict),
  invalid_type: () => post('/api/organizations', { name: 5 }),
  too_short: () => post('/api/organizations', { name: '   ' }),
  too_long: () => post('/api/organizations', { name: 'x'.repeat(4001) }),
  invalid_format: () => post('/api/organizations', { name: 'x', billing_email: 'not an address' }),
  invalid_choice: () => post(org.all_members, { email: 'someone@example.com', role: 'king' }),
  too_small: () => post('/api/organizations', { name: 'x', max_members: -1 }),
  too_large: () => post('/api/organizations', { name: 'x', max_members: 2_000_000 }),
  too_few_items: () => post(org.integrations, { partner: owner.email, scopes: [] }),
  too_many_items: () => post('/api/organizations', { name: 'x', ip_allowlist: many(101, (i) => `10.0.${i}.0/24`) }),
  too_many_entries: () => post('/api/organizations', { name: 'x', metadata: Object.fromEntries(many(26, (i) => [`k${i}`, 'v'] as const)) }),
  duplicate_items: () => post('/api/organizations', { name: 'x', auto_join_domains: ['same.example', 'same.example'] }),
  invalid_characters: () => post('/api/organizations', { name: 'a\u0000b' }),
  unmapped_property: () => post('/api/organizations', { '@context': { label: 'https://schema.org/name' }, label: 'x', colour: 'red' }, strict),
  several_nodes: () => post('/api/organizations', [{ 'https://schema.org/name': 'First' }, { 'https://schema.org/name': 'Second' }]),
  unsupported_keyword: () => post('/api/organizations', { '@context': '/api/contexts/Organization', name: 'x', '@included': [{ '@id': 'urn:x:1', 'https://schema.org/name': 'y' }] }),
  unsupported_context: () => post('/api/organizations', { '@context': 'https://contexts.example/remote.jsonld', name: 'x' }),
  unsafe_json_ld: () => post('/api/organizations', { '@context': { '@vocab': 'https://schema.org/' }, name: { '@value': 'x', '@language': 'not a tag!' } }),
  unknown_partner: () => post(org.all_members, { email: 'nobody.at.all@example.com', role: 'member' }),
  out_of_range: () => post(org.invitations, { email: 'late@example.com', role: 'member', expires_at: new Date(Date.now() - 86_400_000).toISOString() }),
  excludes_own_address: () => patch(org['@id'], { ip_allowlist: ['10.0.0.0/8'] }),
  personal_organization: () => post('/api/organizations', { name: 'x', is_personal: true, auto_join_domains: ['personal.example'] }),
  idempotency_key_reused: async () => {
    await post('/api/organizations', { name: 'First' }, { 'Idempotency-Key': 'violations-key' });
    return post('/api/organizations', { name: 'Second' }, { 'Idempotency-Key': 'violations-key' });
  },
  document_too_complex: () => post('/api/organizations', `${'['.repeat(40)}${']'.repeat(40)}`),
  // Webhook URLs (the harness allows 127.0.0.1 only): each refusal of url-safety.
  https_required: () => post('/api/webhook_endpoints', { url: 'http://hooks.example/in' }),
  credentials_in_url: () => post('/api/webhook_endpoints', { url: 'https://user:secret@hooks.example/in' }),
  unresolvable_host: () => post('/api/webhook_endpoints', { url: 'https://nowhere.invalid/in' }),
  forbidden_address: () => post('/api/webhook_endpoints', { url: 'https://169.254.169.254/latest' }),
  unknown_organization: () => post('/api/webhook_endpoints', { url: 'http://127.0.0.1:9/in', organization: '/api/organizations/00000000-0000-4000-8000-000000000000' }),
};

/** Codes no request can provoke, and why. */
const NOT_PROVOKED: Partial<Record<ViolationCode, string>> = {
  invalid_value: 'the fallback of a schema keyword without a code of its own; the keyword test below shows every keyword our schemas use has one',
  invalid_url: "url-safety's refusal of what new URL() cannot read: the schema's uri format refuses such a value first (invalid_format)",
  validation_failed: 'the root violation of a validation-failed problem thrown without violations: only the CLI throws those, and it prints the detail',
};

/** Every keyword a schema in schemas/ uses (not inside `properties` names or examples). */
function schemaKeywords(): Set<string> {
  const keywords = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (typeof value !== 'object' || value === null) return;
    for (const [key, inner] of Object.entries(value)) {
      keywords.add(key);
      if (key === 'properties' || key === '$defs') Object.values(inner as object).forEach(walk);
      else if (key !== 'examples' && key !== 'enum' && key !== 'const') walk(inner);
    }
  };
  const dir = path.join(process.cwd(), 'schemas');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) walk(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
  return keywords;
}

/** JSON Schema 2020-12's assertion keywords: those a value can fail (propertyNames fails through the keywords inside it). */
const VALIDATION_KEYWORDS = [
  'type', 'enum', 'const', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'format',
  'maxItems', 'minItems', 'uniqueItems', 'maxContains', 'minContains', 'maxProperties', 'minProperties', 'required', 'dependentRequired',
  'additionalProperties', 'unevaluatedProperties', 'unevaluatedItems', 'not', 'anyOf', 'oneOf', 'allOf', 'contains', 'prefixItems', 'if',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('One violation builder', () => {
  it('When src/ is read, then no violation is written as an object literal outside src/problems/violation.ts', () => {
    const handWritten = sourceFiles(path.join(process.cwd(), 'src'))
      .filter((file) => !file.endsWith(path.join('problems', 'violation.ts')))
      .flatMap((file) => readFileSync(file, 'utf8').split('\n').map((line, i) => [`${path.relative(process.cwd(), file)}:${i + 1}`, line] as const))
      .filter(([, line]) => /\{\s*propertyPath\b|propertyPath:\s*['"`]/.test(line) || /\bcode:\s*['"`][a-z]+_[a-z_]+['"`]/.test(line))
      .map(([where]) => where);
    expect(handWritten).toEqual([]);
  });

  it('When a schema keyword fails, then each keyword our schemas use has a code of its own, never the fallback', () => {
    const used = [...schemaKeywords()].filter((keyword) => VALIDATION_KEYWORDS.includes(keyword));
    const params = { limit: 1, type: 'string', format: 'email', pattern: 'x', allowedValues: ['a'], allowedValue: 'a', missingProperty: 'name', additionalProperty: 'x', i: 1, j: 0 };
    const codes = used.map((keyword) => [keyword, toViolations([{ keyword, instancePath: '/name', schemaPath: '#', params } as ErrorObject])[0].code]);
    expect(used.length).toBeGreaterThan(10);
    expect(codes.filter(([, code]) => code === 'invalid_value' || !VIOLATION_CODES.includes(code as ViolationCode))).toEqual([]);
  });

  it('When every code is provoked over HTTP, then each answer is a 422 carrying that code, worded as its one wording says; no code goes unprovoked unexplained', async () => {
    const unaccounted = VIOLATION_CODES.filter((code) => !PROVOKE[code] && !NOT_PROVOKED[code]);
    expect(unaccounted).toEqual([]);
    const wrong: string[] = [];
    for (const [code, provoke] of Object.entries(PROVOKE) as [ViolationCode, () => Promise<Answer>][]) {
      const res = await provoke();
      const found = (res.body.violations ?? []).find((v: Node) => v.code === code);
      if (res.status !== 422 || !found) wrong.push(`${code}: ${res.status} ${JSON.stringify(res.body.violations ?? res.body).slice(0, 200)}`);
      else if (typeof found.message !== 'string' || found.message === '') wrong.push(`${code}: no message`);
      else if ('hint' in VIOLATIONS[code] !== (typeof found.hint === 'string')) wrong.push(`${code}: a hint ${found.hint ? 'its wording does not have' : 'missing'}`);
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('When the problem types are read, then the pages of those that answer with violations list every code, each with what it means', async () => {
    const listed = new Map<string, string>();
    for (const slug of Object.keys(PROBLEM_TYPES) as ProblemSlug[]) {
      const res = await api.http().get(`/api/errors/${slug}`).set('Accept', 'application/json');
      expect(res.status).toBe(200);
      const codes: { code: string; means: string }[] = res.body.violation_codes ?? [];
      expect(codes).toEqual(violationCodesOf(slug));
      for (const { code, means } of codes) listed.set(code, means);
    }
    expect([...listed.keys()].sort()).toEqual([...VIOLATION_CODES].sort());
    expect([...listed.values()].filter((means) => means.length < 10)).toEqual([]);
  });

  it('When the OpenAPI document is read, then a violation code is one of exactly these', async () => {
    const res = await api.http().get('/api/docs.json');
    const schemas = res.body.components.schemas as Record<string, Node>;
    const violation = Object.entries(schemas).find(([name]) => name === 'ConstraintViolation')?.[1];
    expect(violation?.properties.code.enum).toEqual(VIOLATION_CODES);
  });
});
