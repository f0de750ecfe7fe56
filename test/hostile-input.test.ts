/**
 * Hostile input, generated with fast-check, against every POST and PATCH the resource
 * descriptions document. Whatever arrives, the answer comes within 5 s and is a 2xx or a 4xx
 * problem document; a 2xx stores only valid data, exactly what it acknowledged (and, for plain
 * JSON, what was sent); a 4xx changes nothing; Object.prototype keeps its keys (the app runs in
 * this process); no remote JSON-LD context is ever fetched.
 *
 * Bodies are written as JSON text with «placeholders» filled in when sent (fresh emails, partner
 * ids and slugs, huge strings, deep nesting, raw bytes), so counterexamples stay short enough to read.
 * The seed is fixed so a failure replays; HOSTILE_SEED=<n> explores others.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { brotliCompressSync, constants as zlibConstants, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Response } from 'supertest';
import { loadInputValidator } from '../src/input/input-validator.js';
import { API_PREFIX, PREFIXES, VOCABULARY, fillPath, itemPattern, routesOf, writableProperties, type JsonSchema, type OperationDescription, type ResourceDescription, type Route } from '../src/resources/description.js';
import { MAX_CONFIG_KEYS } from '../src/resources/integration/integration.description.js';
import { INVITATION_STATUSES } from '../src/resources/invitation/invitation.description.js';
import { ROLES } from '../src/resources/member/member.description.js';
import { nameKey } from '../src/resources/organization/name-key.js';
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from '../src/resources/organization/organization.description.js';
import { emailKey, normalizeEmail } from '../src/resources/partner/email.js';
import { createPartner } from '../src/resources/partner/partner-use-cases.js';
import { SCOPES } from '../src/resources/partner/scopes.js';
import { resources } from '../src/resources/registry.js';
import { startApi, type Api } from './support/harness.js';
import { ResourceWorld, resourceNamed } from '../src/generators/resource-world.js';

type Json = Record<string, any>;
type Auth = Record<string, string>;

const MERGE_PATCH = 'application/merge-patch+json';
const BODY_LIMIT = 1024 * 1024;
const REQUEST_TIMEOUT_MS = 5000;
/** Runs per property: about ten per field a body may carry, from 25 to 40; accept and revoke never read their body. */
const MIN_RUNS = 25;
const MAX_RUNS = 40;
const BODYLESS_RUNS = 5;
const SEARCH_RUNS = 100;
const TEST_TIMEOUT_MS = 60_000;
const SEED = Number(process.env.HOSTILE_SEED ?? 20_251_125);
fc.configureGlobal({ seed: SEED, numRuns: MIN_RUNS });

// ---------------------------------------------------------------------------------------------
// The endpoints under attack: every POST and PATCH of every route the descriptions give.

type WriteMethod = 'POST' | 'PATCH';

interface Endpoint {
  label: string;
  resource: ResourceDescription;
  target: string;
  method: WriteMethod;
  operation: OperationDescription;
  /** The class the body describes; undefined for operations that take no body. */
  body?: ResourceDescription;
  route: Route;
}

const ORGANIZATION = resourceNamed('Organization');
const MEMBER = resourceNamed('Member');
const INVITATION = resourceNamed('Invitation');
const INTEGRATION = resourceNamed('Integration');
const WEBHOOK_ENDPOINT = resourceNamed('WebhookEndpoint');
const WEBHOOK_KEYS = ['id', 'url', 'events', 'organization', 'enabled', 'created_at'];
let webhookOrganization = '';

const endpoints: Endpoint[] = resources.flatMap((resource) =>
  routesOf(resource).flatMap((route) =>
    (['POST', 'PATCH'] as const)
      .filter((method) => route.operations[method])
      .map((method) => {
        const operation = route.operations[method]!;
        return { label: `${method} ${route.path}`, resource, target: route.target, method, operation, body: operation.expects ? resourceNamed(operation.expects) : undefined, route };
      }),
  ),
);

interface Field {
  key: string;
  schema: JsonSchema;
}

/** The class a body is written as: the one expected, else the resource's own, or an organization's for a resource with no writable field (joining one). */
const shapeOf = (e: Endpoint) => e.body ?? (writableProperties(e.resource, 'create').length ? e.resource : ORGANIZATION);

/** What a body may carry, as clients send it (a reference where an object is returned); body-less operations get their shape's create fields thrown at them. */
function fieldsOf(e: Endpoint): Field[] {
  const resource = shapeOf(e);
  const mode = e.body && e.method === 'PATCH' ? 'update' : 'create';
  return writableProperties(resource, mode).map((key) => ({ key, schema: resource.properties[key].input ?? resource.properties[key].schema }));
}

function requiredFields(e: Endpoint): string[] {
  if (!e.body || e.method === 'PATCH') return [];
  return fieldsOf(e).filter((f) => e.body!.properties[f.key].required).map((f) => f.key);
}

const ownContextOf = (e: Endpoint) => `/api/contexts/${shapeOf(e).name}`;

function subject(e: Endpoint): string {
  const noun = e.resource.name.toLowerCase();
  const a = /^[aeiou]/.test(noun) ? 'an' : 'a';
  const verb = `${e.method}ed`;
  if (e.target === 'collection') return `${noun}s are ${verb}`;
  if (e.target === 'item') return `${a} ${noun} is ${verb}`;
  return `${a} ${noun}'s ${e.target} action is ${verb}`;
}

const runsFor = (e: Endpoint) => (e.body ? Math.min(MAX_RUNS, Math.max(MIN_RUNS, 10 * fieldsOf(e).length)) : BODYLESS_RUNS);

// ---------------------------------------------------------------------------------------------
// Drafts: what a generator produces, turned into bytes only when sent.

interface Draft {
  /** JSON text, or not; «email», «quoted-email», «partner-id», «slug», «remote», «base», «huge», «deep» and «xNN» (one raw byte) are filled in when sent. */
  text: string;
  /** Content-Type: the endpoint's own when undefined, none at all when null. */
  type?: string | null;
  encoding?: { name: string; how: 'valid' | 'garbage' | 'truncated' | 'bomb' | 'twice' };
  huge?: { unit: string; length: number };
  deep?: { shape: 'array' | 'object' | 'mixed'; depth: number };
  /** For endpoints that read a body: why it must be refused with a 4xx. */
  refuse?: string;
  /** Sent with Prefer: handling=strict, so that properties the client may not write are refused instead of ignored. */
  strict?: boolean;
  /** For endpoints that read a body: the exact status it must get. */
  status?: number;
  /** For endpoints that read a body: text that does not parse as JSON must get 400. */
  strictJson?: boolean;
}

const objectText = (entries: [string, string][]) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
const entriesOf = (o: Json): [string, string][] => Object.entries(o).map(([k, v]) => [k, JSON.stringify(v)]);

function hugeString({ unit, length }: { unit: string; length: number }): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

function deepJson({ shape, depth }: { shape: 'array' | 'object' | 'mixed'; depth: number }): string {
  const kinds = Array.from({ length: depth }, (_, i) => (shape === 'mixed' ? (i % 2 ? 'array' : 'object') : shape));
  return kinds.map((k) => (k === 'array' ? '[' : '{"a":')).join('') + '"bottom"' + kinds.reverse().map((k) => (k === 'array' ? ']' : '}')).join('');
}

/** Splits «xNN» markers out as raw bytes: invalid UTF-8 cannot be written as a JS string. */
function toBytes(text: string): Buffer {
  const parts = text.split(/«x([0-9a-f]{2})»/);
  return Buffer.concat(parts.map((part, i) => (i % 2 ? Buffer.from([parseInt(part, 16)]) : Buffer.from(part, 'utf8'))));
}

const COMPRESSORS: Record<string, (b: Buffer) => Buffer> = {
  gzip: (b) => gzipSync(b),
  deflate: (b) => deflateSync(b),
  br: (b) => brotliCompressSync(b, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } }),
};
const DECODED = ['gzip', 'deflate', 'br'];
const bombs = new Map<string, Buffer>();

/** 8 MiB of JSON that compresses to a few kilobytes. */
function bomb(name: string): Buffer {
  if (!bombs.has(name)) bombs.set(name, COMPRESSORS[name](Buffer.from(`{"name":"${'a'.repeat(8 * BODY_LIMIT)}"}`)));
  return bombs.get(name)!;
}

function encode(bytes: Buffer, encoding: Draft['encoding']): Buffer {
  if (!encoding) return bytes;
  const name = encoding.name.toLowerCase();
  const compress = COMPRESSORS[name] ?? ((b: Buffer) => b);
  switch (encoding.how) {
    case 'valid':
      return compress(bytes);
    case 'garbage':
      return bytes; // announced as compressed, sent as is
    case 'truncated': {
      const compressed = compress(bytes);
      return compressed.subarray(0, Math.floor(compressed.length / 2));
    }
    case 'bomb':
      return DECODED.includes(name) ? bomb(name) : bytes;
    case 'twice':
      return compress(compress(bytes));
  }
}

// ---------------------------------------------------------------------------------------------
// Values: valid ones (so that hostile bodies can also succeed) and the hostile kinds.

/** Never `__proto__`, which has tests of its own: elsewhere it would hide the hostility under test. */
const safeKey = fc.string({ maxLength: 10 }).filter((k) => k !== '__proto__');
const mapKey = fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/);

/** Valid values of a field: the ones below where a field's rules need care, else what its schema itself gives. */
function validValue({ key, schema }: Field): fc.Arbitrary<unknown> {
  switch (key) {
    case 'name':
      return fc.constantFrom('Acme', '  Padded Name  ', 'Café Münster & Co.', '株式会社', 'x');
    case 'slug':
      return fc.constant('«slug»');
    case 'email':
      return fc.constant('«email»');
    // An installed partner cannot be installed again: each valid body names a fresh one, by email (trimmed) or id.
    case 'partner':
      return fc.constantFrom('«email»', ' «email» ', '«partner-id»');
    case 'scopes':
      return fc.shuffledSubarray([...SCOPES], { minLength: 1 });
    case 'billing_email':
    case 'security_contact':
      return fc.constantFrom('billing@hostile.example', ' Mixed@Case.Example ');
    case 'language':
      return fc.constantFrom('en', 'fr-CA', 'zh-Hant-TW');
    case 'role':
      return fc.constantFrom(...ROLES);
    case 'metadata':
    case 'config':
      return fc.dictionary(mapKey, fc.string({ maxLength: 12 }), { maxKeys: 3 });
    case 'invites_enabled':
    case 'members_can_invite':
      return fc.boolean();
    case 'is_personal':
      return fc.constant(false);
    case 'ip_allowlist':
      // A list must keep the client's own address (127.0.0.1 here), or it is refused as a lockout.
      return fc.subarray(['10.0.0.0/8', '2001:db8::/32', '192.0.2.1/32']).map((networks) => (networks.length ? [...networks, '127.0.0.0/8'] : networks));
    case 'auto_join_domains':
      return fc.subarray(['hostile.example', 'sub.hostile.example']);
    case 'max_members':
      return fc.constantFrom(0, 50, 1_000_000);
    case 'url':
      return fc.constantFrom('http://127.0.0.1:9/hooks', ' http://127.0.0.1:9/padded ', 'https://203.0.113.7/hooks?x=1');
    case 'events':
      return fc.subarray(['member.added', 'organization.deleted', 'invitation.created']);
    // The owner's own organization, filled in when sent.
    case 'organization':
      return fc.constant('«webhook-organization»');
    case 'enabled':
      return fc.boolean();
    case 'expires_at':
      return fc.integer({ min: 1, max: 29 * 24 }).map((hours) => new Date(Date.now() + hours * 3_600_000).toISOString());
    default:
      return fromSchema(key, schema);
  }
}

/**
 * A valid value read from a field's schema (a field added since this test was written): its
 * examples, its const or enum, else the simplest value of its type within its bounds. A field
 * whose rules this cannot meet fails here, by name, and then needs a case above.
 */
function fromSchema(key: string, schema: JsonSchema): fc.Arbitrary<unknown> {
  const examples = schema.examples as unknown[] | undefined;
  if (examples?.length) return fc.constantFrom(...examples);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  if (schema.format === 'email') return fc.constant('«email»');
  switch (schema.type) {
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: Number(schema.minimum ?? 0), max: Number(schema.maximum ?? 1000) });
    case 'string':
      if (!schema.pattern && !schema.format) return fc.string({ minLength: Math.max(1, Number(schema.minLength ?? 1)), maxLength: Number(schema.maxLength ?? 20) }).filter((s) => s.trim() === s && s.length > 0);
      break;
    case 'array':
      if (!schema.minItems) return fc.constant([]);
      break;
    case 'object':
      if (!schema.minProperties && !schema.required) return fc.constant({});
      break;
  }
  throw new Error(`No valid value known for "${key}" (its schema gives no example): add one, so that hostile bodies can also succeed`);
}

/** A valid string (or list item) of each field, for hostility to be inserted into. */
const SAMPLE: Record<string, string> = {
  name: 'Acme',
  slug: 'acme',
  email: 'someone@hostile.example',
  billing_email: 'billing@hostile.example',
  security_contact: 'security@hostile.example',
  language: 'en',
  role: 'member',
  expires_at: '2030-01-01T00:00:00.000Z',
  ip_allowlist: '10.0.0.0/8',
  auto_join_domains: 'hostile.example',
  partner: 'someone@hostile.example',
  scopes: 'member:read',
};

function validBody(e: Endpoint): fc.Arbitrary<Json> {
  const fields = fieldsOf(e);
  return fc.record(Object.fromEntries(fields.map((f) => [f.key, validValue(f)])), { requiredKeys: requiredFields(e) });
}

const within = (valid: string, inserted: fc.Arbitrary<string>) =>
  fc.tuple(inserted, fc.nat()).map(([s, at]) => {
    const i = at % (valid.length + 1);
    return valid.slice(0, i) + s + valid.slice(i);
  });

/** A valid body with one or two fields given hostile values: the hostility, not a missing field, decides the answer. */
function mutate(e: Endpoint, hostile: (f: Field) => fc.Arbitrary<unknown>): fc.Arbitrary<Json> {
  const fields = fieldsOf(e);
  const changes = fc.subarray(fields, { minLength: 1, maxLength: Math.min(2, fields.length) }).chain((chosen) => fc.record(Object.fromEntries(chosen.map((f) => [f.key, hostile(f)]))));
  return fc.tuple(validBody(e), changes).map(([base, changed]) => ({ ...base, ...changed }));
}

/** Every field hostile or left out: hostility everywhere at once. */
function everywhere(e: Endpoint, hostile: (f: Field) => fc.Arbitrary<unknown>): fc.Arbitrary<Json> {
  return fc.record(Object.fromEntries(fieldsOf(e).map((f) => [f.key, hostile(f)])), { requiredKeys: [] });
}

const asText = (body: unknown): Draft => ({ text: JSON.stringify(body) ?? '' });

const WRONG: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.array(fc.anything({ key: safeKey, maxDepth: 2 }), { maxLength: 4 }),
  fc.object({ key: safeKey, maxDepth: 2 }),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('true', 'false', '0', '1', 'null', '[]', '{}', '', ' ', '1e309', 'NaN'),
  fc.constantFrom(-1, 1.5, 1e21, 2 ** 53 + 2, Number.MAX_VALUE, -0),
);

/** One kind of hostile character per entry, so that each kind is drawn as often as the others. */
const NASTY_KINDS = [
  ['\ud800', '\udfff', '\udc00\ud800'], // lone and reversed surrogates (JSON.stringify writes them as \ud800 escapes)
  ['\u0000'], // NUL, which ends a C string
  ['\u0001', '\u001b[31m', '\u007f', '\b'], // other controls
  ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'], // zero-width
  ['\u200e', '\u200f', '\u202e', '\u2066', '\u061c'], // direction marks and overrides
  ['e\u0301', '\u0301', 'Z\u0351\u0357\u036e\u0342\u0310\u0300'], // combining characters
  ['😀', '👩‍👩‍👧‍👦', '🏳️‍🌈', '🇫🇷', '\u{10ffff}', '\ufffe', '\uffff'], // emoji and noncharacters
  ['Ａｃｍｅ', '＠', '．', 'аdmin', 'ехаmple', 'ǅ', 'ß', 'İ', 'ﬁ', 'Ω', 'K'], // full-width and homoglyphs (Cyrillic а, е, х; Kelvin sign)
  ['\u00a0', '\u2028', '\u2029', '\u3000', '\t', '\r\n', '\\', '"'], // white space and JSON escapes
];

/** Strings of hostile characters; `longest` bounds the very long grapheme clusters. */
function nastyStrings(longest: number): fc.Arbitrary<string> {
  const part = fc.oneof(
    ...NASTY_KINDS.map((kind) => fc.constantFrom(...kind)),
    fc.string({ unit: 'binary', maxLength: 3 }),
    fc.integer({ min: 100, max: longest }).map((n) => `a${'\u0301'.repeat(n)}`), // one grapheme cluster of n + 1 code points
    fc.integer({ min: 10, max: Math.floor(longest / 6) }).map((n) => `👩${'\u200d👩'.repeat(n)}`),
  );
  return fc.array(part, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(''));
}

const nasty = nastyStrings(3000);

const HUGE_UNITS = ['x', ' ', 'é', 'e\u0301', '👩‍👩‍👧‍👦', '\u200b', '\ud800', '\u0000', 'Ａ', "'"];
const hugeLength = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 5000, max: 200_000 }) },
  { weight: 2, arbitrary: fc.integer({ min: 3990, max: 4010 }) },
  { weight: 1, arbitrary: fc.integer({ min: BODY_LIMIT + 1, max: BODY_LIMIT + 50_000 }) }, // over the limit: 413
);

const SQL_META = [
  "'", '"', '`', ';', '--', '/*', '*/', '%', '_', '\\', '\\%', '\\_', '%%', '_%_', "\\'", '$1', '?', ':name', 'NULL',
  "'; DROP TABLE organization; --", "' OR '1'='1", '" OR ""="', "'); DELETE FROM membership; --",
  "1; SELECT pg_sleep(10); --", "' || (SELECT sqlite_version()) || '", "'; UPDATE membership SET role = 'owner'; --",
];
const sqlString: fc.Arbitrary<string> = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...SQL_META) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) }), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(''));

// ---------------------------------------------------------------------------------------------
// The generators, one per kind of hostility, each for one endpoint.

function wrongTypes(e: Endpoint): fc.Arbitrary<Draft> {
  const bodies: fc.Arbitrary<unknown>[] = [
    mutate(e, () => WRONG),
    everywhere(e, (f) => fc.oneof(WRONG, validValue(f))),
    fc.anything({ key: safeKey, maxDepth: 3 }), // the body itself of the wrong type
  ];
  // In a merge patch null removes a property: every field, and any set of them, is sent as null.
  if (e.method === 'PATCH') bodies.push(fc.uniqueArray(fc.constantFrom(...fieldsOf(e).map((f) => f.key)), { minLength: 1 }).map((keys) => Object.fromEntries(keys.map((k) => [k, null]))));
  return fc.oneof(...bodies).map(asText);
}

function unicodeValue(f: Field): fc.Arbitrary<unknown> {
  const sample = SAMPLE[f.key] ?? 'x';
  switch (f.schema.type) {
    case 'string':
      return fc.oneof(within(sample, nasty), nasty);
    case 'array':
      return fc.array(fc.oneof(within(sample, nasty), nasty), { minLength: 1, maxLength: 3 });
    case 'object':
      return fc.dictionary(fc.oneof(nasty, mapKey), fc.oneof(nasty, fc.string({ maxLength: 10 })), { minKeys: 1, maxKeys: 5 });
    default:
      return validValue(f);
  }
}

/** Where a huge string can go: a string field, a list item, a map key or a map value. */
function hugeSlots(e: Endpoint): string[] {
  return fieldsOf(e).flatMap((f) => {
    if (f.schema.type === 'string') return [`field:${f.key}`];
    if (f.schema.type === 'array') return [`item:${f.key}`];
    if (f.schema.type === 'object') return [`key:${f.key}`, `value:${f.key}`];
    return [];
  });
}

function placeHuge(body: Json, slot: string): Json {
  const [kind, key] = slot.split(':');
  const value = { field: '«huge»', item: ['«huge»'], key: { '«huge»': 'v' }, value: { k: '«huge»' } }[kind];
  return { ...body, [key]: value };
}

function hugeAndUnicode(e: Endpoint): fc.Arbitrary<Draft> {
  const huge = fc
    .record({ slot: fc.constantFrom(...hugeSlots(e)), unit: fc.constantFrom(...HUGE_UNITS), length: hugeLength, base: validBody(e) })
    .map(({ slot, unit, length, base }): Draft => ({ text: JSON.stringify(placeHuge(base, slot)), huge: { unit, length } }));
  return fc.oneof(mutate(e, unicodeValue).map(asText), huge, everywhere(e, unicodeValue).map(asText));
}

function deepNesting(e: Endpoint): fc.Arbitrary<Draft> {
  const fields = fieldsOf(e);
  const places = ['body', '@context', '@graph', ...fields.map((f) => `field:${f.key}`), ...fields.filter((f) => f.schema.type === 'object').map((f) => `value:${f.key}`)];
  return fc
    .record({ at: fc.constantFrom(...places), shape: fc.constantFrom('array' as const, 'object' as const, 'mixed' as const), depth: fc.integer({ min: 50, max: 5000 }), base: validBody(e) })
    .map(({ at, shape, depth, base }) => {
      const [kind, key] = at.split(':');
      const body =
        kind === '@context' ? { '@context': '«deep»', ...base }
        : kind === '@graph' ? { '@context': ownContextOf(e), '@graph': ['«deep»', base] }
        : kind === 'value' ? { ...base, [key]: { nested: '«deep»' } }
        : { ...base, [key]: '«deep»' };
      const text = kind === 'body' ? '«deep»' : JSON.stringify(body).replace('"«deep»"', '«deep»');
      // A merge patch is not read as JSON-LD, so a @graph there is an unknown keyword the server skips.
      const skipped = kind === '@graph' && e.method === 'PATCH';
      return { text, deep: { shape, depth }, ...(skipped ? {} : { refuse: `a value nested ${depth} levels deep fits no property` }) };
    });
}

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];

function iriOf(resource: ResourceDescription, key: string): string {
  const iri = resource.properties[key].iri;
  if (!iri) return `${VOCABULARY}${key}`;
  const [prefix, local] = iri.split(':');
  return PREFIXES[prefix as keyof typeof PREFIXES] + local;
}

/** What a prototype key may hold: the body's own fields one level down, pollution attempts, scalars. */
function prototypeValues(e: Endpoint): fc.Arbitrary<string> {
  return fc.oneof(
    validBody(e).map((b) => JSON.stringify(b)),
    fc.constantFrom('{"polluted":"yes"}', '{"prototype":{"polluted":"yes"}}', '{"__proto__":{"polluted":"yes"}}', '{"toString":"x","valueOf":"y","hasOwnProperty":"z"}'),
    fc.constantFrom('"polluted"', 'null', '[]', '["polluted"]', '1', 'true'),
  );
}

/**
 * `{"__proto__": <the body>}`, or a prototype key beside the body's fields: never a property, so
 * refused with Prefer: handling=strict, and ignored by default (what it holds is never read).
 */
function prototypeKeysOnTop(e: Endpoint): fc.Arbitrary<Draft> {
  const name = shapeOf(e).name;
  return fc
    .record({ how: fc.constantFrom('wrap', 'beside'), key: fc.constantFrom(...PROTOTYPE_KEYS), value: prototypeValues(e), base: validBody(e), first: fc.boolean(), strict: fc.boolean() })
    .map(({ how, key, value, base, first, strict }): Draft => {
      const refusal = (reason: string) => (strict ? { strict, refuse: reason } : {});
      if (how === 'wrap') return { text: objectText([[key, JSON.stringify(base)]]), ...refusal(`${key} is not a property of ${name}: what it holds is not the body`) };
      const entries = entriesOf(base);
      return { text: objectText(first ? [[key, value], ...entries] : [...entries, [key, value]]), ...refusal(`${key} is not a property of ${name}`) };
    });
}

/** Prototype keys as map keys (metadata, mostly with string values as a map holds), inside scalar fields, and as JSON-LD terms for our properties. */
function prototypeKeysInside(e: Endpoint): fc.Arbitrary<Draft> {
  const fields = fieldsOf(e);
  const resource = shapeOf(e);
  const key = fc.constantFrom(...PROTOTYPE_KEYS);
  const without = (base: Json, field: string) => entriesOf(base).filter(([k]) => k !== field);
  const inMap = fields
    .filter((f) => f.schema.type === 'object')
    .map((f) =>
      fc.record({ key, value: fc.oneof(fc.constantFrom('"polluted"', 'null'), prototypeValues(e)), base: validBody(e) }).map(({ key: k, value, base }): Draft => ({
        text: objectText([...without(base, f.key), [f.key, objectText([[k, value], ['toString', '"x"'], ['hasOwnProperty', '"y"']])]]),
      })),
    );
  const scalars = fields.filter((f) => f.schema.type !== 'object').map((f) => f.key);
  const inside = fc.record({ field: fc.constantFrom(...scalars), key, value: prototypeValues(e), base: validBody(e) }).map(({ field, key: k, value, base }): Draft => ({
    text: objectText([...without(base, field), [field, objectText([[k, value]])]]),
    refuse: `${field} cannot be an object`,
  }));
  const mapped = fields[0].key;
  const asTerm = fc.record({ key, base: validBody(e) }).map(({ key: k, base }): Draft => {
    const context = JSON.stringify([ownContextOf(e), { [k]: iriOf(resource, mapped) }]);
    return { text: objectText([['@context', context], [k, JSON.stringify(base[mapped] ?? SAMPLE[mapped] ?? 'x')], ...without(base, mapped)]) };
  });
  return fc.oneof(...inMap.map((arbitrary) => ({ arbitrary, weight: 3 })), { arbitrary: inside, weight: 1 }, { arbitrary: asTerm, weight: 1 });
}

function sqlValue(f: Field): fc.Arbitrary<unknown> {
  const sample = SAMPLE[f.key] ?? 'x';
  switch (f.schema.type) {
    case 'string':
      return fc.oneof(within(sample, sqlString), sqlString, ...(['email', 'partner'].includes(f.key) ? [fc.constant('«quoted-email»')] : []));
    case 'array':
      return fc.array(fc.oneof(within(sample, sqlString), sqlString), { minLength: 1, maxLength: 3 });
    case 'object':
      return fc.dictionary(sqlString.filter((k) => [...k].length <= 40), sqlString, { minKeys: 1, maxKeys: 4 });
    default:
      return validValue(f);
  }
}

function sqlMetacharacters(e: Endpoint): fc.Arbitrary<Draft> {
  return fc.oneof(mutate(e, sqlValue), everywhere(e, sqlValue)).map(asText);
}

interface Choice {
  value: unknown;
  refuse?: string;
}

const REMOTE = 'a remote @context is never loaded';
const FOREIGN = 'a property of another vocabulary maps to nothing here';

function invalidJsonLd(e: Endpoint): fc.Arbitrary<Draft> {
  const name = shapeOf(e).name;
  const own = ownContextOf(e);
  const other = name === 'Member' ? '/api/contexts/Organization' : '/api/contexts/Member';
  const contexts: Choice[] = [
    { value: 42 }, { value: true }, { value: null }, { value: [] }, { value: '' },
    { value: { '@vocab': 'http://evil.example/vocab#' } },
    { value: { '@vocab': '«remote»/vocab#' } },
    { value: '«remote»/context.jsonld', refuse: REMOTE },
    { value: [own, '«remote»/context.jsonld'], refuse: REMOTE },
    { value: { '@import': '«remote»/context.jsonld' }, refuse: REMOTE },
    { value: 'http://169.254.169.254/latest/meta-data/', refuse: REMOTE },
    { value: 'file:///etc/passwd', refuse: REMOTE },
    { value: '/api/contexts/Nope', refuse: REMOTE },
    { value: { '@version': 1.1, '@protected': true, name: { '@id': 'http://xmlns.com/foaf/0.1/name' } } },
    { value: { name: 'http://xmlns.com/foaf/0.1/name', email: 'http://xmlns.com/foaf/0.1/mbox', role: 'http://xmlns.com/foaf/0.1/role' } },
    { value: { '@base': 'http://evil.example/' } },
    { value: own }, { value: `«base»${own}` }, { value: other }, { value: `/api/contexts/../contexts/${name}` },
  ];
  const types = [name, [name], [name, 'Member'], 42, 'http://evil.example/Thing', 'schema:Organization', 'https://schema.org/Organization', null, {}];
  const ids = ['/api/organizations/00000000-0000-4000-8000-000000000000', 'http://evil.example/x', '_:b0', 42, null, 'javascript:alert(1)', [], '«base»/api/organizations'];
  const iris: Choice[] = [
    { value: 'http://xmlns.com/foaf/0.1/name', refuse: FOREIGN },
    { value: 'http://purl.org/dc/terms/title', refuse: FOREIGN },
    { value: 'urn:example:hostile', refuse: FOREIGN },
    { value: 'foaf:name', refuse: FOREIGN },
    { value: 'https://schema.org/name' },
    { value: 'http://schema.org/name' },
    { value: 'schema:name' },
  ];
  const keywords = ['@reverse', '@included', '@nest', '@list', '@set', '@value', '@language', '@index', '@json', '@direction', '@none', '@version', '@base', '@import', '@protected', '@propagate'];
  /** A field's value in another JSON-LD form: a value object, a list, a node reference. */
  const valueObject = (valid: fc.Arbitrary<unknown>) =>
    fc.oneof(
      valid.map((v) => ({ '@value': v })),
      valid.map((v) => ({ '@value': v, '@language': 'en' })),
      valid.map((v) => ({ '@value': v, '@type': 'http://www.w3.org/2001/XMLSchema#string' })),
      valid.map((v) => ({ '@list': [v] })),
      fc.constant({ '@id': 'http://evil.example/x' }),
    );
  const several = 'a body with several nodes describes more than one resource';
  /** Each aspect turns a valid body (in our own context, or none) into one kind of invalid JSON-LD. */
  const aspects: Record<string, fc.Arbitrary<(body: Json, reasons: string[]) => Json>> = {
    // First, as it starts from a body of its own; the others change what they are given.
    field: mutate(e, (f) => valueObject(validValue(f))).map((changed) => (body) => ({ ...changed, ...(body['@context'] ? { '@context': body['@context'] } : {}) })),
    context: fc.constantFrom(...contexts).map((c) => (body, reasons) => {
      if (c.refuse) reasons.push(c.refuse);
      return { ...body, '@context': c.value };
    }),
    type: fc.constantFrom(...types).map((t) => (body) => ({ ...body, '@type': t })),
    id: fc.constantFrom(...ids).map((id) => (body) => ({ ...body, '@id': id })),
    graph: fc.array(validBody(e), { minLength: 1, maxLength: 3 }).map((nodes) => (body, reasons) => {
      if (e.method === 'POST' && nodes.length >= 2) reasons.push(several);
      return { '@context': body['@context'] ?? own, '@graph': nodes };
    }),
    iri: fc.tuple(fc.constantFrom(...iris), fc.string({ minLength: 1, maxLength: 8 })).map(([iri, value]) => (body, reasons) => {
      if (iri.refuse) reasons.push(iri.refuse);
      return { ...body, [iri.value as string]: value };
    }),
    keyword: fc.tuple(fc.constantFrom(...keywords), fc.constantFrom<unknown>('x', 1, null, {}, [], { '@id': 'http://evil.example/' }, { name: 'Nested' })).map(([k, v]) => (body) => ({ ...body, [k]: v })),
  };
  // Our own context, sent in forms that need JSON-LD processing: what is valid there must succeed.
  const ownForms = [undefined, own, [own], `«base»${own}`, { '@import': own }];
  return fc
    .record({ base: validBody(e), context: fc.constantFrom(...ownForms), changes: fc.subarray(Object.keys(aspects), { maxLength: 2 }).chain((keys) => fc.tuple(...keys.map((k) => aspects[k]))), strict: fc.boolean() })
    .map(({ base, context, changes, strict }): Draft => {
      const found: string[] = [];
      const start = context === undefined ? base : { '@context': context, ...base };
      const body = changes.reduce((b, change) => change(b, found), start);
      // Another vocabulary's property is no property the client may write: ignored unless strict.
      const reasons = strict ? found : found.filter((reason) => reason !== FOREIGN);
      return { text: JSON.stringify(body), type: e.method === 'POST' ? 'application/ld+json' : undefined, ...(strict ? { strict } : {}), ...(reasons.length ? { refuse: reasons.join('; ') } : {}) };
    });
}

const BROKEN = [
  '{"KEY": "x",}', '{"KEY": "x"', '{KEY: "x"}', "{'KEY': 'x'}", '{"KEY": NaN}', '{"KEY": Infinity}', '{"KEY": -Infinity}', '{"KEY": undefined}',
  '{"KEY": "x"} trailing', '{"KEY": "x"}{"KEY": "y"}', '[1,]', '{"KEY": 0x10}', '{"KEY": 012}', '{"KEY": +1}', '{"KEY": .5}', '{"KEY": "a\tb"}',
  '{"KEY": "\\x41"}', '{"KEY": "\\u12"}', '{"KEY": "x" /* comment */}', '// comment\n{"KEY": "x"}', ' ', '\u0000', '{"KEY": "x"}\u0000', '"', '{', '}', '[',
  'nul', 'tru', '{"a": 1e999}', '{"KEY": "x", "KEY": "y"}', '\ufeff{"KEY": "x"}', '\ufeff\ufeff{"KEY": "x"}', '{"KEY": "x"}«xff»', '{"KEY": "«xff»«xfe»"}',
  '{"KEY": "«xc0»«x80»"}', '{"KEY": "«xed»«xa0»«x80»"}', '«xef»«xbb»«xbf»{"KEY": "x"}', '«xff»«xfe»{«x00»"«x00»}«x00»', '', 'null', 'true', '"just a string"', '12', '[]',
  '{"KEY": "\\ud800"}', '{"": "x"}', '\n\t {"KEY": "x"} \r\n',
];
const FOREIGN_TYPES = [
  'text/plain', 'text/html', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=hostile', 'application/octet-stream',
  'application/vnd.api+json', 'application/json-patch+json', 'image/png', 'application/javascript',
];
const ODD_TYPES = [
  'application/json; charset=utf-16', 'application/json; charset=latin1', 'application/json; charset=utf-7', 'APPLICATION/JSON', 'Application/Ld+Json',
  'application/json;;', 'application/json; charset="utf-8"', 'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"', '*/*', 'application/*',
  'application/json, text/plain', 'application/merge-patch+json; charset=utf-8', 'application/json; charset=utf-8; charset=latin1', 'json', ';', 'application/', '/json',
];

function malformedJsonAndTypes(e: Endpoint): fc.Arbitrary<Draft> {
  const key = fieldsOf(e)[0].key;
  const valid = validBody(e).map((b) => JSON.stringify(b));
  const malformed = fc.oneof(
    fc.constantFrom(...BROKEN.map((t) => t.replaceAll('KEY', key))),
    fc.tuple(valid, fc.nat()).map(([text, at]) => text.slice(0, at % text.length)), // truncated
    fc.tuple(valid, fc.nat(), fc.constantFrom(',', '}', ']', '"', ':', 'NaN', '\\', '\u0000', '«xff»', '\n', "'")).map(([text, at, s]) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + s + text.slice(i);
    }),
  );
  const accepted = e.operation.accepts ?? ['application/json', 'application/ld+json'];
  const foreign = [...FOREIGN_TYPES, ...['application/json', 'application/ld+json', MERGE_PATCH].filter((t) => !accepted.includes(t)), null];
  return fc.oneof(
    { weight: 3, arbitrary: malformed.map((text): Draft => ({ text, strictJson: true })) },
    { weight: 2, arbitrary: fc.tuple(valid, fc.constantFrom(...foreign)).map(([text, type]): Draft => ({ text, type, status: 415 })) },
    { weight: 1, arbitrary: fc.tuple(fc.oneof(valid, malformed), fc.constantFrom(...ODD_TYPES)).map(([text, type]): Draft => ({ text, type })) },
  );
}

function encodings(e: Endpoint): fc.Arbitrary<Draft> {
  const names = ['gzip', 'deflate', 'br', 'GZIP', 'x-gzip', 'compress', 'zstd', 'gzip, deflate', 'identity'];
  const hows = ['valid', 'garbage', 'truncated', 'bomb', 'twice'] as const;
  return fc.record({ name: fc.constantFrom(...names), how: fc.constantFrom(...hows), base: validBody(e) }).map(({ name, how, base }): Draft => {
    const draft: Draft = { text: JSON.stringify(base), encoding: { name, how } };
    const decoded = name.toLowerCase();
    if (decoded === 'identity') return draft;
    if (!DECODED.includes(decoded)) return { ...draft, status: 415 };
    if (how === 'bomb') return { ...draft, status: 413 };
    if (how !== 'valid') return { ...draft, refuse: `a body that does not decompress as ${name} says is not JSON` };
    return draft;
  });
}

// ---------------------------------------------------------------------------------------------
// The rules stored data must follow.

const schemaRules = loadInputValidator();
const codePoints = (s: string) => [...s].length;
const excerpt = (value: unknown, n = 300) => JSON.stringify(typeof value === 'string' ? value.slice(0, n) : value)?.slice(0, n + 20);
const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function unknownKeys(resource: ResourceDescription, node: Json): string[] {
  return Object.keys(node)
    .filter((key) => !['@context', '@id', '@type'].includes(key) && !Object.hasOwn(resource.properties, key))
    .map((key) => `unknown key ${JSON.stringify(key)}`);
}

/** The writable values of a representation, checked against the same schemas/ the server validates with; a reference sent is shown as an embedded node, whose id would be sent. */
function schemaProblems(resource: ResourceDescription, node: Json): string[] {
  const sendable = (key: string) => (resource.properties[key].input && isMap(node[key]) ? node[key].id : node[key]);
  const values = Object.fromEntries(writableProperties(resource, 'create').filter((key) => Object.hasOwn(node, key)).map((key) => [key, sendable(key)]));
  return schemaRules.check(`${resource.name}.create.json`, values).map((v) => `${v.propertyPath || '(body)'}: ${v.code}`);
}

function memberProblems(member: Json): string[] {
  const problems = [...unknownKeys(MEMBER, member), ...schemaProblems(MEMBER, member)];
  if (!(ROLES as readonly string[]).includes(member.role)) problems.push(`role ${excerpt(member.role)} is not one of ${ROLES.join(', ')}`);
  return problems;
}

function invitationProblems(invitation: Json): string[] {
  const problems = [...unknownKeys(INVITATION, invitation), ...schemaProblems(INVITATION, invitation)];
  if (!(ROLES as readonly string[]).includes(invitation.role)) problems.push(`role ${excerpt(invitation.role)} is not a role`);
  if (!(INVITATION_STATUSES as readonly string[]).includes(invitation.status)) problems.push(`status ${excerpt(invitation.status)} is not a status`);
  return problems;
}

const PARTNER_NODE_KEYS = ['@type', 'id', 'email', 'name'];

function partnerNodeProblems(key: string, node: unknown): string[] {
  if (!isMap(node)) return [`${key} ${excerpt(node)} is not a partner`];
  const problems = Object.keys(node).filter((k) => !PARTNER_NODE_KEYS.includes(k)).map((k) => `${key} has unknown key ${JSON.stringify(k)}`);
  if (node['@type'] !== 'Partner') problems.push(`${key}'s @type is ${excerpt(node['@type'])}`);
  for (const k of ['id', 'email', 'name']) if (typeof node[k] !== 'string' || node[k].length === 0) problems.push(`${key}.${k} ${excerpt(node[k])} is not a string`);
  return problems;
}

function integrationProblems(integration: Json): string[] {
  const problems = [...unknownKeys(INTEGRATION, integration), ...schemaProblems(INTEGRATION, integration), ...partnerNodeProblems('partner', integration.partner)];
  if (integration.created_by !== null) problems.push(...partnerNodeProblems('created_by', integration.created_by));
  const { scopes, config } = integration;
  if (!Array.isArray(scopes) || scopes.length === 0) problems.push(`scopes ${excerpt(scopes)} is not a non-empty list`);
  else if (!isDeepStrictEqual(scopes, SCOPES.filter((s) => scopes.includes(s)))) problems.push(`scopes ${excerpt(scopes)} are not distinct known scopes in the order ${SCOPES.join(', ')}`);
  if (!isMap(config)) problems.push(`config ${excerpt(config)} is not a map`);
  else {
    const entries = Object.entries(config);
    if (entries.length > MAX_CONFIG_KEYS) problems.push(`config has ${entries.length} entries`);
    for (const [key, value] of entries) {
      if (codePoints(key) < 1 || codePoints(key) > 100) problems.push(`config key ${excerpt(key, 120)} is not 1 to 100 characters`);
      if (typeof value !== 'string' || codePoints(value) > 2000) problems.push(`config.${key} ${excerpt(value, 60)} is not a string of at most 2000 characters`);
    }
  }
  return problems;
}

function organizationProblems(org: Json): string[] {
  const problems = [...unknownKeys(ORGANIZATION, org), ...schemaProblems(ORGANIZATION, org)];
  const { name, slug, metadata } = org;
  if (typeof name !== 'string' || name !== name.trim() || codePoints(name) < 1 || codePoints(name) > 4000) {
    problems.push(`name ${excerpt(name, 80)} is not 1 to 4000 characters after trimming`);
  }
  if (typeof slug !== 'string' || slug.length > SLUG_MAX_LENGTH || !new RegExp(SLUG_PATTERN).test(slug)) problems.push(`slug ${excerpt(slug, 120)} does not match ${SLUG_PATTERN}`);
  if (!isMap(metadata)) problems.push(`metadata ${excerpt(metadata)} is not a map`);
  else {
    const entries = Object.entries(metadata);
    if (entries.length > 25) problems.push(`metadata has ${entries.length} entries`);
    for (const [key, value] of entries) {
      if (codePoints(key) < 1 || codePoints(key) > 40) problems.push(`metadata key ${excerpt(key, 60)} is not 1 to 40 characters`);
      if (typeof value !== 'string' || codePoints(value) > 600) problems.push(`metadata.${key} ${excerpt(value, 60)} is not a string of at most 600 characters`);
    }
  }
  const owners: Json[] = org.owners ?? [];
  if (owners.length === 0 || owners.some((o) => o.role !== 'owner')) problems.push(`owners ${excerpt(owners.map((o) => o.role))} are not all owners, or none`);
  for (const member of [...owners, ...(org.members ?? [])]) problems.push(...memberProblems(member).map((p) => `member ${member.id}: ${p}`));
  return problems;
}

/** What a 2xx answered must be what is read back afterwards. */
function acknowledged(ack: Json, stored: Json, keys: string[]): string[] {
  return keys.filter((key) => !isDeepStrictEqual(ack[key], stored[key])).map((key) => `${key} acknowledged as ${excerpt(ack[key], 80)} but stored as ${excerpt(stored[key], 80)}`);
}

/** RFC 7396 on a map, by own keys: `__proto__` is a key like any other. */
function mergedMap(before: Json, patch: unknown): Json | undefined {
  if (patch === null) return {};
  if (!isMap(patch)) return undefined;
  const result = new Map(Object.entries(before));
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) result.delete(key);
    else result.set(key, value);
  }
  return Object.fromEntries(result);
}

const sortedEntries = (map: Json) => Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
const sameSet = (a: unknown[], b: unknown[]) => isDeepStrictEqual([...new Set(a)].sort(), [...new Set(b)].sort());

/** A plain JSON body (no JSON-LD) that succeeded must be stored as sent: trimmed, maps merged. */
function organizationAsSent(sent: Json, stored: Json, before?: Json): string[] {
  const problems: string[] = [];
  for (const key of ['name', 'slug']) {
    if (typeof sent[key] === 'string' && stored[key] !== sent[key].trim()) problems.push(`${key} sent as ${excerpt(sent[key], 80)} but stored as ${excerpt(stored[key], 80)}`);
  }
  if (Object.hasOwn(sent, 'metadata')) {
    const expected = before ? mergedMap(before.metadata, sent.metadata) : sent.metadata;
    if (isMap(expected) && isMap(stored.metadata) && !isDeepStrictEqual(sortedEntries(expected), sortedEntries(stored.metadata))) {
      problems.push(`metadata should be ${excerpt(JSON.stringify(expected))} but is ${excerpt(JSON.stringify(stored.metadata))}`);
    }
  }
  return problems;
}

/**
 * A plain JSON body that installed or changed an integration must be stored as sent: the partner
 * it names, the scopes as a set, config as sent or merged into the installation before.
 */
function integrationAsSent(sent: Json, stored: Json, before?: Json): string[] {
  const problems: string[] = [];
  if (typeof sent.partner === 'string') {
    const reference = sent.partner.trim();
    if (stored.partner?.id !== reference && emailKey(stored.partner?.email ?? '') !== emailKey(reference)) problems.push(`partner sent as ${excerpt(sent.partner)} but installed is ${excerpt(stored.partner)}`);
  }
  const scopes = Array.isArray(sent.scopes) ? sent.scopes : before?.scopes;
  if (scopes && Array.isArray(stored.scopes) && !sameSet(scopes, stored.scopes)) problems.push(`scopes should be ${excerpt(scopes)} but are ${excerpt(stored.scopes)}`);
  const config = !Object.hasOwn(sent, 'config') ? (before?.config ?? {}) : before ? mergedMap(before.config, sent.config) : sent.config;
  if (isMap(config) && isMap(stored.config) && !isDeepStrictEqual(sortedEntries(config), sortedEntries(stored.config))) {
    problems.push(`config should be ${excerpt(JSON.stringify(config))} but is ${excerpt(JSON.stringify(stored.config))}`);
  }
  return problems;
}

function pristine() {
  return { object: Object.getOwnPropertyNames(Object.prototype).sort().join(', '), array: Object.getOwnPropertyNames(Array.prototype).sort().join(', ') };
}

const PRISTINE = pristine();

function expectPristinePrototypes(): void {
  const now = pristine();
  check(now.object === PRISTINE.object, `Object.prototype changed: ${now.object}`);
  check(now.array === PRISTINE.array, `Array.prototype changed: ${now.array}`);
  check((({}) as Json).polluted === undefined, 'every object now has a "polluted" property');
}

// ---------------------------------------------------------------------------------------------
// The API, a server that counts any attempt to fetch a remote context, and one fixture per endpoint.

let api: Api;
let remoteHits = 0;
const remote = createServer((_req, res) => {
  remoteHits++;
  res.writeHead(200, { 'Content-Type': 'application/ld+json' });
  res.end('{"@context": {"name": "https://schema.org/name"}}');
});
let remoteBase = '';

interface Caller {
  id: string;
  email: string;
  auth: Auth;
}

let owner: Caller;
let invitee: Caller;
let colleague: Caller;
let searcher: Caller;
/** A partner whose email domain the auto-joined organization lists. */
let joiner: Caller;
let fixtureOrgs: Json[] = [];
let searcherOrgId = '';
let counter = 0;

interface Fixture {
  path: string;
  auth: Auth;
  /** What a refused request must leave as it was. */
  state(): Promise<unknown>;
  /** Reads back what a 2xx created or changed: what is wrong with it. */
  verify(res: Response, sent: Json | undefined, before: unknown): Promise<string[]>;
}

const fixtures = new Map<string, Fixture>();

/** Names the search properties filter: SQL wildcards, quotes and Unicode that must match literally. */
const SEARCH_NAMES = [
  '100% Pure', 'under_score', 'back\\slash', "O'Brien & Sons", 'Quote "Co"', "Robert'); DROP TABLE organization;--", 'Percent %% Twice',
  'Ünïcödé', 'Ｆｕｌｌ Ｗｉｄｔｈ', 'İstanbul', 'Straße', 'Cafe\u0301', '😀 Emoji', '\u202eRTL', 'zero\u200bwidth', 'plain',
];

async function read(path: string, auth: Auth): Promise<Json> {
  const res = await api.http().get(path).set(auth).timeout({ deadline: REQUEST_TIMEOUT_MS });
  check(res.status === 200, `GET ${path} answered ${res.status}: ${excerpt(res.text)}`);
  return JSON.parse(res.text);
}

async function totalItems(path: string, auth: Auth): Promise<number> {
  return (await read(`${path}?itemsPerPage=1`, auth))['hydra:totalItems'];
}

async function everyItem(path: string, auth: Auth): Promise<Json[]> {
  const items: Json[] = [];
  for (let page = 1; ; page++) {
    const body = await read(`${path}?itemsPerPage=100&page=${page}`, auth);
    items.push(...body['hydra:member']);
    if (items.length >= body['hydra:totalItems'] || body['hydra:member'].length === 0) return items;
  }
}

async function create(auth: Auth, path: string, body: object): Promise<Json> {
  const res = await api.http().post(path).set(auth).send(body);
  if (res.status !== 201) throw new Error(`Setting up: POST ${path} answered ${res.status} ${res.text}`);
  return JSON.parse(res.text);
}

const locationOf = (res: Response) => new URL(res.headers.location).pathname;
const ackOf = (res: Response): Json => JSON.parse(res.text);

const freshPartner = (prefix: string) => createPartner(api.db, { email: `${prefix}${++counter}@hostile.example`, name: 'Fresh Partner' });

async function freshEmail(prefix: string): Promise<string> {
  return (await freshPartner(prefix)).email;
}

const ORGANIZATION_KEYS = ['id', 'created_at', 'updated_at', 'member_count', ...writableProperties(ORGANIZATION, 'create')];
const MEMBER_KEYS = ['id', 'email', 'name', 'role', 'joined_at'];
const INVITATION_KEYS = ['id', 'email', 'role', 'status', 'expires_at', 'created_at', 'accepted_at', 'revoked_at'];
const INTEGRATION_KEYS = ['id', 'organization', 'partner', 'scopes', 'config', 'created_at', 'created_by', 'updated_at'];
/** What a merge patch of an installation cannot change. */
const INSTALLATION_KEYS = ['id', 'organization', 'partner', 'created_at', 'created_by'];

type FixtureOrgs = Record<'patched' | 'joined' | 'roles' | 'inviting' | 'acting' | 'installing' | 'integrated' | 'autoJoined', Json>;

function defineFixtures(orgs: FixtureOrgs, colleagueMember: Json, toAccept: Json, toRevoke: Json, installed: Json): void {
  const { patched, joined, roles, inviting, acting, installing, integrated, autoJoined } = orgs;
  fixtures.set('POST /organizations', {
    path: '/api/organizations',
    auth: owner.auth,
    state: () => totalItems('/api/organizations', owner.auth),
    async verify(res, sent) {
      const stored = await read(locationOf(res), owner.auth);
      return [...organizationProblems(stored), ...acknowledged(ackOf(res), stored, ORGANIZATION_KEYS), ...(sent ? organizationAsSent(sent, stored) : [])];
    },
  });
  fixtures.set('PATCH /organizations/:id', {
    path: patched['@id'],
    auth: owner.auth,
    state: () => read(patched['@id'], owner.auth),
    async verify(res, sent, before) {
      const stored = await read(patched['@id'], owner.auth);
      return [...organizationProblems(stored), ...acknowledged(ackOf(res), stored, ORGANIZATION_KEYS), ...(sent ? organizationAsSent(sent, stored, before as Json) : [])];
    },
  });
  fixtures.set('POST /organizations/:organizationId/members', {
    path: joined.all_members,
    auth: owner.auth,
    state: () => read(joined['@id'], owner.auth),
    async verify(res, sent) {
      const stored = await read(locationOf(res), owner.auth);
      const problems = [...memberProblems(stored), ...acknowledged(ackOf(res), stored, MEMBER_KEYS), ...organizationProblems(await read(joined['@id'], owner.auth))];
      if (typeof sent?.role === 'string' && stored.role !== sent.role) problems.push(`role sent as ${sent.role} but stored as ${stored.role}`);
      if (typeof sent?.email === 'string' && stored.email.toLowerCase() !== normalizeEmail(sent.email).toLowerCase()) problems.push(`email sent as ${excerpt(sent.email)} but stored as ${excerpt(stored.email)}`);
      return problems;
    },
  });
  fixtures.set('PATCH /organizations/:organizationId/members/:id', {
    path: colleagueMember['@id'],
    auth: owner.auth,
    state: () => read(colleagueMember['@id'], owner.auth),
    async verify(res, sent) {
      const stored = await read(colleagueMember['@id'], owner.auth);
      const problems = [...memberProblems(stored), ...acknowledged(ackOf(res), stored, MEMBER_KEYS), ...organizationProblems(await read(roles['@id'], owner.auth))];
      if (typeof sent?.role === 'string' && stored.role !== sent.role) problems.push(`role sent as ${sent.role} but stored as ${stored.role}`);
      return problems;
    },
  });
  fixtures.set('POST /organizations/:organizationId/invitations', {
    path: inviting.invitations,
    auth: owner.auth,
    state: () => totalItems(inviting.invitations, owner.auth),
    async verify(res, sent) {
      const stored = await read(locationOf(res), owner.auth);
      const problems = [...invitationProblems(stored), ...acknowledged(ackOf(res), stored, INVITATION_KEYS)];
      if (typeof sent?.role === 'string' && stored.role !== sent.role) problems.push(`role sent as ${sent.role} but stored as ${stored.role}`);
      if (typeof sent?.email === 'string' && stored.email !== normalizeEmail(sent.email)) problems.push(`email sent as ${excerpt(sent.email)} but stored as ${excerpt(stored.email)}`);
      return problems;
    },
  });
  for (const [action, invitation, auth] of [['accept', toAccept, invitee.auth], ['revoke', toRevoke, owner.auth]] as const) {
    fixtures.set(`POST /organizations/:organizationId/invitations/:id/${action}`, {
      path: invitation[action],
      auth,
      state: () => read(invitation['@id'], owner.auth),
      async verify(res) {
        const stored = await read(invitation['@id'], owner.auth);
        return [...invitationProblems(stored), ...acknowledged(ackOf(res), stored, INVITATION_KEYS), ...organizationProblems(await read(acting['@id'], owner.auth))];
      },
    });
  }
  fixtures.set('POST /organizations/:organizationId/integrations', {
    path: installing.integrations,
    auth: owner.auth,
    state: () => totalItems(installing.integrations, owner.auth),
    async verify(res, sent) {
      const stored = await read(locationOf(res), owner.auth);
      const problems = [...integrationProblems(stored), ...acknowledged(ackOf(res), stored, INTEGRATION_KEYS), ...(sent ? integrationAsSent(sent, stored) : [])];
      if (stored.organization !== installing['@id']) problems.push(`installed into ${excerpt(stored.organization)}, not ${installing['@id']}`);
      return problems;
    },
  });
  fixtures.set('PATCH /organizations/:organizationId/integrations/:id', {
    path: installed['@id'],
    auth: owner.auth,
    state: () => read(installed['@id'], owner.auth),
    async verify(res, sent, before) {
      const stored = await read(installed['@id'], owner.auth);
      return [
        ...integrationProblems(stored),
        ...acknowledged(ackOf(res), stored, INTEGRATION_KEYS),
        ...INSTALLATION_KEYS.filter((key) => !isDeepStrictEqual((before as Json)[key], stored[key])).map((key) => `${key} was ${excerpt((before as Json)[key], 80)} and is now ${excerpt(stored[key], 80)}`),
        ...(sent ? integrationAsSent(sent, stored, before as Json) : []),
      ];
    },
  });
  fixtures.set('POST /me/joinable_organizations/:id/join', {
    path: `/api/me/joinable_organizations/${autoJoined.id}/join`,
    auth: joiner.auth,
    state: () => read(autoJoined['@id'], owner.auth),
    async verify(res) {
      const stored = await read(locationOf(res), owner.auth);
      const problems = [...memberProblems(stored), ...acknowledged(ackOf(res), stored, MEMBER_KEYS), ...organizationProblems(await read(autoJoined['@id'], owner.auth))];
      if (stored.role !== 'member' || stored.email !== joiner.email) problems.push(`joined as ${excerpt(stored.email)} with the ${stored.role} role, not as ${joiner.email} with member`);
      return problems;
    },
  });
  fixtureOrgs = [patched, joined, roles, inviting, acting, installing, integrated, autoJoined];
}

function webhookProblems(endpoint: Json): string[] {
  const problems = [...unknownKeys(WEBHOOK_ENDPOINT, endpoint), ...schemaProblems(WEBHOOK_ENDPOINT, endpoint)];
  if (!/^https?:\/\//.test(endpoint.url) || endpoint.url.trim() !== endpoint.url) problems.push(`url ${excerpt(endpoint.url)} is not a trimmed http(s) URL`);
  return problems;
}

function defineWebhookFixtures(patched: Json, rotated: Json): void {
  fixtures.set('POST /webhook_endpoints', {
    path: '/api/webhook_endpoints',
    auth: owner.auth,
    state: () => totalItems('/api/webhook_endpoints', owner.auth),
    async verify(res) {
      const stored = await read(locationOf(res), owner.auth);
      return [...webhookProblems(stored), ...acknowledged(ackOf(res), stored, WEBHOOK_KEYS), ...(/^whsec_/.test(ackOf(res).secret) ? [] : ['no whsec_ secret in the answer'])];
    },
  });
  fixtures.set('PATCH /webhook_endpoints/:id', {
    path: patched['@id'],
    auth: owner.auth,
    state: () => read(patched['@id'], owner.auth),
    async verify(res) {
      const stored = await read(patched['@id'], owner.auth);
      return [...webhookProblems(stored), ...acknowledged(ackOf(res), stored, [...WEBHOOK_KEYS, 'updated_at'])];
    },
  });
  fixtures.set('POST /webhook_endpoints/:id/rotate_secret', {
    path: rotated.rotate_secret,
    auth: owner.auth,
    state: async () => ({ ...(await read(rotated['@id'], owner.auth)), updated_at: undefined, previous_secret_expires_at: undefined }),
    async verify(res) {
      const stored = await read(rotated['@id'], owner.auth);
      return [...webhookProblems(stored), ...acknowledged(ackOf(res), stored, WEBHOOK_KEYS)];
    },
  });
}

/**
 * The fixture of an endpoint that none above names (a resource described since): its target made
 * from the descriptions (test/support/resource-world.ts), and what any stored item must be,
 * valid against its own schema and stored as acknowledged. The fixtures above check more,
 * because they know each resource's rules.
 */
async function describedFixture(e: Endpoint, world: ResourceWorld): Promise<Fixture> {
  const params = await world.paramsOf(e.resource, e.route, true);
  const path = fillPath(e.route.path, params);
  const problemsOf = (stored: Json) => [...unknownKeys(e.resource, stored), ...schemaProblems(e.resource, stored)];
  if (e.route.target === 'collection') {
    return {
      path,
      auth: owner.auth,
      state: () => totalItems(path, owner.auth),
      async verify(res) {
        const stored = await read(locationOf(res), owner.auth);
        return [...problemsOf(stored), ...acknowledged(ackOf(res), stored, Object.keys(stored))];
      },
    };
  }
  const item = fillPath(itemPattern(e.resource), params);
  return {
    path,
    auth: owner.auth,
    state: () => read(item, owner.auth),
    async verify(res) {
      const stored = await read(item, owner.auth);
      return [...problemsOf(stored), ...(e.route.target === 'item' ? acknowledged(ackOf(res), stored, Object.keys(stored)) : [])];
    },
  };
}

beforeAll(async () => {
  // Thousands of requests from one token: rate limiting has tests of its own.
  api = await startApi({ rateLimits: { perCredential: 0, anonymous: 0 } });
  await new Promise<void>((resolve) => remote.listen(0, '127.0.0.1', resolve));
  remoteBase = `http://127.0.0.1:${(remote.address() as AddressInfo).port}`;
  owner = await api.partner('Hostile Owner');
  invitee = await api.partner('Hostile Invitee');
  colleague = await api.partner('Hostile Colleague');
  searcher = await api.partner('Hostile Searcher');
  const org = (name: string) => create(owner.auth, '/api/organizations', { name });
  const orgs: FixtureOrgs = {
    patched: await org('Patched With Hostility'),
    joined: await org('Joined With Hostility'),
    roles: await org('Roles Changed With Hostility'),
    inviting: await org('Invited With Hostility'),
    acting: await org('Acted On With Hostility'),
    installing: await org('Installed Into With Hostility'),
    integrated: await org('Integration Changed With Hostility'),
    autoJoined: await create(owner.auth, '/api/organizations', { name: 'Auto-Joined With Hostility', auto_join_domains: ['joining.hostile.example'] }),
  };
  const joining = await createPartner(api.db, { email: 'joiner@joining.hostile.example', name: 'Hostile Joiner' });
  joiner = { ...joining, auth: { Authorization: `Bearer ${joining.token}` } };
  const colleagueMember = await create(owner.auth, orgs.roles.all_members, { email: colleague.email, role: 'admin' });
  const toAccept = await create(owner.auth, orgs.acting.invitations, { email: invitee.email, role: 'member' });
  const toRevoke = await create(owner.auth, orgs.acting.invitations, { email: 'revoked@hostile.example', role: 'member' });
  const installed = await create(owner.auth, orgs.integrated.integrations, { partner: await freshEmail('hostile.integration.'), scopes: ['organization:read', 'member:read'], config: { environment: 'production' } });
  defineFixtures(orgs, colleagueMember, toAccept, toRevoke, installed);
  webhookOrganization = orgs.patched['@id'];
  defineWebhookFixtures(await create(owner.auth, '/api/webhook_endpoints', { url: 'http://127.0.0.1:9/patched' }), await create(owner.auth, '/api/webhook_endpoints', { url: 'http://127.0.0.1:9/rotated' }));
  const world = new ResourceWorld(api, owner.auth, 'hostile');
  for (const e of endpoints) if (!fixtures.has(e.label)) fixtures.set(e.label, await describedFixture(e, world));
  for (const name of SEARCH_NAMES) {
    const created = await create(searcher.auth, '/api/organizations', { name });
    searcherOrgId ||= created.id;
  }
});

afterAll(async () => {
  await api.close();
  await new Promise((resolve) => remote.close(resolve));
});

// ---------------------------------------------------------------------------------------------
// Sending a draft, and what every answer must be.

async function fill(draft: Draft): Promise<string> {
  let text = draft.text;
  if (text.includes('«email»')) {
    const email = await freshEmail('hostile.');
    text = text.replaceAll('«email»', () => email);
  }
  if (text.includes('«quoted-email»')) {
    const email = await freshEmail("o'brien%_");
    text = text.replaceAll('«quoted-email»', () => email);
  }
  if (text.includes('«partner-id»')) {
    const { id } = await freshPartner('hostile.by-id.');
    text = text.replaceAll('«partner-id»', () => id);
  }
  text = text.replaceAll('«webhook-organization»', () => webhookOrganization);
  const slug = `hostile-${++counter}`;
  text = text.replaceAll('«slug»', () => slug).replaceAll('«remote»', () => remoteBase).replaceAll('«base»', () => api.base);
  if (draft.deep) text = text.replace('«deep»', () => deepJson(draft.deep!));
  if (draft.huge) text = text.replace('«huge»', () => JSON.stringify(hugeString(draft.huge!)).slice(1, -1));
  return text;
}

/** The body as the server reads it, when it is plain JSON sent plainly (no JSON-LD keywords or IRIs). */
function plainJson(bytes: Buffer, draft: Draft): Json | undefined {
  if (draft.encoding || draft.type !== undefined) return undefined;
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return isMap(value) && Object.keys(value).every((k) => !k.startsWith('@') && !k.includes(':')) ? value : undefined;
  } catch {
    return undefined;
  }
}

function parses(bytes: Buffer): boolean {
  try {
    JSON.parse(new TextDecoder().decode(bytes)); // strips a BOM and replaces bad UTF-8, as body-parser does
    return true;
  } catch {
    return false;
  }
}

function defaultType(e: Endpoint): string {
  return e.operation.accepts?.[0] ?? 'application/json';
}

async function send(e: Endpoint, fixture: Fixture, draft: Draft) {
  const bytes = toBytes(await fill(draft));
  let request = (e.method === 'POST' ? api.http().post(fixture.path) : api.http().patch(fixture.path))
    .set(fixture.auth)
    .timeout({ deadline: REQUEST_TIMEOUT_MS })
    .serialize((body: unknown) => body as string); // the bytes as they are, whatever the Content-Type says
  const type = draft.type === undefined ? defaultType(e) : draft.type;
  if (type !== null) request = request.set('Content-Type', type);
  if (draft.encoding) request = request.set('Content-Encoding', draft.encoding.name);
  if (draft.strict) request = request.set('Prefer', 'handling=strict');
  const res = await request.send(encode(bytes, draft.encoding));
  return { res, bytes, sent: plainJson(bytes, draft) };
}

function expectProblemOrSuccess(res: Response, what: string): void {
  check((res.status >= 200 && res.status < 300) || (res.status >= 400 && res.status < 500), `${what}\nexpected a 2xx or a 4xx problem`);
  if (res.status < 400) return;
  check(/^application\/problem\+json(;|$)/.test(res.headers['content-type'] ?? ''), `${what}\nexpected Content-Type application/problem+json, got ${res.headers['content-type']}`);
  const problem = JSON.parse(res.text) as Json;
  check(problem.status === res.status, `${what}\nexpected the problem's status to be ${res.status}`);
  check(typeof problem.title === 'string' && problem.title.length > 0, `${what}\nexpected a problem title`);
  check(typeof problem.type === 'string' && /^https?:$/.test(new URL(problem.type).protocol), `${what}\nexpected the problem type to be an http(s) URL`);
}

/** What generators know about a body, for endpoints that read one. */
function expectOutcome(draft: Draft, bytes: Buffer, res: Response, what: string): void {
  if (draft.status !== undefined) return check(res.status === draft.status, `${what}\nexpected ${draft.status}`);
  if (!draft.encoding && bytes.length > BODY_LIMIT) return check(res.status === 413, `${what}\nexpected 413 for a body of ${bytes.length} bytes`);
  if (draft.refuse) return check(res.status >= 400, `${what}\nexpected a 4xx: ${draft.refuse}`);
  if (draft.strictJson && bytes.length > 0 && !parses(bytes)) check(res.status === 400, `${what}\nexpected 400: the body is not JSON`);
}

/**
 * Drives one endpoint with one generator; after each run, checks the answer, what is stored and
 * the prototypes. Only this endpoint touches its fixture, so the state read after one run is the
 * state before the next.
 */
async function attack(e: Endpoint, drafts: fc.Arbitrary<Draft>): Promise<void> {
  const fixture = fixtures.get(e.label);
  check(fixture, `No fixture for ${e.label}`);
  remoteHits = 0;
  let known: { state: unknown } | undefined;
  await fc.assert(
    fc.asyncProperty(drafts, async (draft) => {
      const before = known ? known.state : await fixture.state();
      known = undefined;
      const { res, bytes, sent } = await send(e, fixture, draft);
      const what = `${e.label} answered ${res.status} ${excerpt(res.text)}`;
      expectProblemOrSuccess(res, what);
      if (e.body) expectOutcome(draft, bytes, res, what);
      if (res.status < 300) {
        const problems = await fixture.verify(res, sent, before);
        check(problems.length === 0, `${what}\nbut what is stored breaks the rules:\n- ${problems.join('\n- ')}`);
      } else {
        const after = await fixture.state();
        check(isDeepStrictEqual(after, before), `${what}\nbut a refused request changed ${excerpt(JSON.stringify(before), 600)}\ninto ${excerpt(JSON.stringify(after), 600)}`);
        known = { state: after };
      }
      expectPristinePrototypes();
      check(remoteHits === 0, `${e.label} made the server request a remote document ${remoteHits} time(s)`);
    }),
    { numRuns: runsFor(e) },
  );
}

/** Everything the fixtures' partners can see still follows the rules. */
async function expectEverythingStoredValid(): Promise<void> {
  const problems: string[] = [];
  for (const partner of [owner, invitee, colleague]) {
    for (const org of await everyItem('/api/organizations', partner.auth)) problems.push(...organizationProblems(org).map((p) => `${org['@id']}: ${p}`));
  }
  for (const org of fixtureOrgs) {
    for (const member of await everyItem(org.all_members, owner.auth)) problems.push(...memberProblems(member).map((p) => `${member['@id']}: ${p}`));
    for (const invitation of await everyItem(org.invitations, owner.auth)) problems.push(...invitationProblems(invitation).map((p) => `${invitation['@id']}: ${p}`));
    for (const integration of await everyItem(org.integrations, owner.auth)) problems.push(...integrationProblems(integration).map((p) => `${integration['@id']}: ${p}`));
  }
  check(problems.length === 0, `Stored data breaks the rules:\n- ${problems.slice(0, 20).join('\n- ')}`);
}

// ---------------------------------------------------------------------------------------------
// Query parameters of the collections.

const collections = resources.flatMap((resource) =>
  routesOf(resource)
    .filter((route) => route.operations.GET?.returns === 'hydra:Collection')
    .map((route) => ({ pattern: route.path, search: Object.keys(route.target === 'collection' ? (resource.search ?? {}) : {}) })),
);
const QUERY_NAMES = [...new Set(collections.flatMap((c) => c.search)), 'page', 'itemsPerPage', "name'--", 'name[]'];

/** As URLSearchParams writes them: a lone surrogate becomes U+FFFD (encodeURIComponent would throw). */
const wellFormed = (s: string) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

function fragments(): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...SEARCH_NAMES), fc.nat(), fc.nat()).map(([name, a, b]) => {
    const [from, to] = [a % name.length, b % name.length].sort((x, y) => x - y);
    return name.slice(from, to + 1);
  });
}

/** Mostly a name filter on the organizations, where a wrong match would show; otherwise any variable of any collection. */
function searches(values: fc.Arbitrary<string>) {
  const organizations = collections.find((c) => c.pattern === '/organizations')!;
  const others = fc.array(fc.tuple(fc.constantFrom('order[name]', 'order[created_at]', 'page', 'itemsPerPage'), fc.constantFrom('asc', 'desc', '1', '2')), { maxLength: 2 });
  const byName = fc.record({
    collection: fc.constant(organizations),
    params: fc.tuple(values, others).map(([value, rest]): [string, string][] => [['name', value], ...rest]),
    organization: fc.constant<string | undefined>(undefined),
  });
  const anywhere = fc.record({
    collection: fc.constantFrom(...collections),
    params: fc.array(fc.tuple(fc.constantFrom(...QUERY_NAMES), values), { maxLength: 3 }),
    organization: fc.option(values, { nil: undefined, freq: 5 }),
  });
  return fc.oneof({ arbitrary: byName, weight: 2 }, { arbitrary: anywhere, weight: 1 });
}

async function search(values: fc.Arbitrary<string>): Promise<void> {
  await fc.assert(
    fc.asyncProperty(searches(values), async ({ collection, params, organization }) => {
      const path = API_PREFIX + collection.pattern.replace(':organizationId', encodeURIComponent(wellFormed(organization ?? searcherOrgId)));
      const query = new URLSearchParams(params).toString();
      const url = query ? `${path}?${query}` : path;
      const res = await api.http().get(url).set(searcher.auth).timeout({ deadline: REQUEST_TIMEOUT_MS });
      const what = `GET ${url} answered ${res.status} ${excerpt(res.text)}`;
      expectProblemOrSuccess(res, what);
      const names = new URLSearchParams(query).getAll('name');
      if (collection.pattern === '/organizations' && res.status === 200 && names.length === 1) {
        const expected = SEARCH_NAMES.map((n) => n.trim()).filter((n) => nameKey(n).includes(nameKey(names[0])));
        const body = JSON.parse(res.text) as Json;
        const found = body['hydra:member'].map((o: Json) => o.name);
        check(
          body['hydra:totalItems'] === expected.length && found.every((n: string) => expected.includes(n)),
          `${what}\nbut name=${JSON.stringify(names[0])} should match exactly ${JSON.stringify(expected)}, not ${body['hydra:totalItems']}: ${JSON.stringify(found)}`,
        );
      }
      expectPristinePrototypes();
    }),
    { numRuns: SEARCH_RUNS },
  );
}

/** After SQL metacharacters everywhere, every table still answers, and a new organization is found by name. */
async function expectTablesStillWork(): Promise<void> {
  await read('/api/organizations', owner.auth);
  for (const org of fixtureOrgs) {
    await read(org.all_members, owner.auth);
    await read(org.invitations, owner.auth);
    await read(org.integrations, owner.auth);
    await read(org.audit_events, owner.auth);
  }
  const created = await create(owner.auth, '/api/organizations', { name: 'After The Storm' });
  const found = await read(`/api/organizations?name=${encodeURIComponent('after the storm')}&itemsPerPage=100`, owner.auth);
  check(
    found['hydra:member'].some((o: Json) => o.id === created.id),
    'An organization created after the attack is not found by its name',
  );
}

// ---------------------------------------------------------------------------------------------

const OUTCOME = 'then every answer is a 2xx or a 4xx problem and nothing invalid is stored';
/** What a title promises beyond the outcome: only endpoints that read a body refuse or limit it. */
const reading = (e: Endpoint, promise: string) => (e.body ? `, ${promise}` : '');

describe('The endpoints under attack', () => {
  it('When the descriptions are read, then every POST and PATCH they document is attacked, each with a fixture', () => {
    expect(endpoints.map((e) => e.label)).toEqual(
      expect.arrayContaining([
        'POST /organizations',
        'PATCH /organizations/:id',
        'POST /organizations/:organizationId/members',
        'PATCH /organizations/:organizationId/members/:id',
        'POST /organizations/:organizationId/invitations',
        'POST /organizations/:organizationId/invitations/:id/accept',
        'POST /organizations/:organizationId/invitations/:id/revoke',
        'POST /organizations/:organizationId/integrations',
        'PATCH /organizations/:organizationId/integrations/:id',
        'POST /me/joinable_organizations/:id/join',
      ]),
    );
    for (const e of endpoints) expect([e.label, fixtures.has(e.label)]).toEqual([e.label, true]);
  });
});

describe('Wrong types', () => {
  for (const e of endpoints) {
    it(`When ${subject(e)} with numbers, booleans, arrays, objects and null where strings belong, and the reverse (${e.label}), ${OUTCOME}`, () => attack(e, wrongTypes(e)), TEST_TIMEOUT_MS);
  }
});

describe('Huge strings and Unicode edge cases', () => {
  for (const e of endpoints) {
    it(`When ${subject(e)} with strings of 5,000 to 200,000 characters (a few over 1 MiB), lone surrogates, NUL, zero-width, RTL, combining and homoglyph characters (${e.label}), ${OUTCOME}${reading(e, 'and a body over 1 MiB is 413')}`, () => attack(e, hugeAndUnicode(e)), TEST_TIMEOUT_MS);
  }

  // Clusters stay short here: past 16 KB of URL, Node answers 431 itself, before the app sees the request.
  it('When the collections are searched with Unicode edge cases in query parameters and path ids, then every answer is a 200 or a 4xx problem, and a name filter matches its text literally', () => {
    const short = nastyStrings(300);
    const values = fc.oneof({ arbitrary: fragments().chain((f) => within(f, short)), weight: 3 }, fc.tuple(short, fragments()).map(([n, f]) => n + f), short, fragments());
    return search(values);
  }, TEST_TIMEOUT_MS);
});

describe('Deep nesting', () => {
  for (const e of endpoints) {
    it(`When ${subject(e)} with arrays and objects nested 50 to 5,000 levels, as the body, a field, a map value, @context or @graph (${e.label}), ${OUTCOME}`, () => attack(e, deepNesting(e)), TEST_TIMEOUT_MS);
  }
});

describe('Prototype pollution', () => {
  for (const e of endpoints) {
    const outcome = e.body ? 'then it is refused with a 4xx problem and nothing is stored' : OUTCOME;
    it(`When ${subject(e)} with the body wrapped in __proto__, constructor or prototype, or such a key beside it (${e.label}), ${outcome}, and Object.prototype keeps its keys`, () => attack(e, prototypeKeysOnTop(e)), TEST_TIMEOUT_MS);
  }
  for (const e of endpoints) {
    it(`When ${subject(e)} with __proto__, constructor and prototype as map keys, inside field values and as JSON-LD terms (${e.label}), ${OUTCOME}${reading(e, 'a map keeps exactly the keys sent')}, and Object.prototype keeps its keys`, () => attack(e, prototypeKeysInside(e)), TEST_TIMEOUT_MS);
  }
});

describe('SQL metacharacters', () => {
  for (const e of endpoints) {
    it(`When ${subject(e)} with quotes, comments, LIKE wildcards and backslashes in every string field (${e.label}), ${OUTCOME}${reading(e, 'and it is stored as sent')}`, () => attack(e, sqlMetacharacters(e)), TEST_TIMEOUT_MS);
  }

  it('When the collections are searched with SQL metacharacters in query parameters and path ids, then every answer is a 200 or a 4xx problem, and a name filter matches its text literally', () => {
    const values = fc.oneof({ arbitrary: fragments().chain((f) => within(f, sqlString)), weight: 3 }, sqlString, fc.constantFrom('asc', 'desc', 'owner', 'admin', 'pending', 'organization.created', '1', '2', '100'), fragments());
    return search(values);
  }, TEST_TIMEOUT_MS);

  it('When the SQL metacharacters are all sent, then every table still answers, and a new organization is found by its name', () => expectTablesStillWork(), TEST_TIMEOUT_MS);
});

describe('Invalid JSON-LD', () => {
  for (const e of endpoints) {
    it(`When ${subject(e)} with @context numbers, foreign @vocab and remote URLs, @type arrays, @id values, several @graph nodes and other vocabularies' IRIs (${e.label}), ${OUTCOME}, and nothing remote is fetched`, () => attack(e, invalidJsonLd(e)), TEST_TIMEOUT_MS);
  }
});

describe('Malformed JSON and wrong Content-Types', () => {
  for (const e of endpoints) {
    it(`When ${subject(e)} with truncated JSON, trailing commas, BOMs, NaN, invalid UTF-8 or a Content-Type it does not accept (${e.label}), ${OUTCOME}${reading(e, 'malformed JSON is 400 and a foreign type 415')}`, () => attack(e, malformedJsonAndTypes(e)), TEST_TIMEOUT_MS);
  }
});

describe('Content-Encodings', () => {
  for (const e of endpoints) {
    it(`When ${subject(e)} gzip-, deflate- or br-encoded, corrupt, truncated, twice compressed or as a decompression bomb (${e.label}), ${OUTCOME}${reading(e, 'a bomb is 413 and an unknown encoding 415')}`, () => attack(e, encodings(e)), TEST_TIMEOUT_MS);
  }
});

describe('After every attack', () => {
  it('When everything the partners can read is listed, then every organization, member, invitation and integration still follows the rules', () => expectEverythingStoredValid(), TEST_TIMEOUT_MS);
});
