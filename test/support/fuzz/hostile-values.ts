/**
 * Near-valid and hostile variants of a valid body, derived from its schema: each breaks one
 * thing (a required property, a type, a bound, a format, a pattern, an enum, a size) or the
 * JSON itself. Variants are JSON values, or raw bytes when JSON cannot say it (bad JSON, lone
 * surrogates, invalid UTF-8, numbers JavaScript cannot hold).
 */
import type { ContractSchemas } from './contract-schemas.js';
import type { Json } from './openapi-operations.js';
import type { SeededRandom } from './seeded-random.js';

export interface Variant {
  /** What was broken, for the defect report: `wrong-type name`, `bad-json truncated`. */
  label: string;
  value?: unknown;
  raw?: Buffer;
}

export const ODD_UNICODE = ['\u0000', '\u202eevil', '\u200b'.repeat(20), 'a\u0301'.repeat(300), '\ufeffbom', 'line\u2028break', '𝕏'.repeat(120), '\uffff', 'tab\there', 'ＡＢＣ'];
const HUGE_NUMBERS = ['1e400', '-1e400', '9007199254740993', '123456789012345678901234567890', '-0', '1e-400', '0.1e1', '1E2'];
const UNKNOWN_KEYS = ['unknown_field', '__proto__', 'constructor', 'id', '@id', 'created_at', 'owners', 'member_count', 'Name', ''];
const BAD_FORMATS: Record<string, string[]> = {
  email: ['not-an-email', 'a@', '@b.example', 'a@b', 'a b@c.example', `x@${'y'.repeat(250)}.example`, 'ü@ü.example'],
  'date-time': ['2026-13-45T25:61:00Z', 'yesterday', '2026-01-01', '1e10', '2026-01-01T00:00:00', '0000-00-00T00:00:00Z'],
  date: ['2026-02-30', 'today'],
  uuid: ['not-a-uuid', '00000000-0000-0000-0000-00000000000g', '{00000000-0000-4000-8000-000000000000}'],
  cidr: ['10.0.0.0/33', '::/129', '300.1.1.1/8', '10.0.0.0', 'abc/8', '10.0.0.0/-1', '10.0.0.0/8/8'],
  bcp47: ['en_US', 'xx-!!', '12', 'abcdefghi', 'en--US', '-en'],
  hostname: ['-bad-.example', 'no_underscore.example', 'nodot', 'a..b', `${'a'.repeat(64)}.example`],
  uri: ['not a uri', 'http://', '::'],
  'uri-reference': ['\\\\bad', 'a b'],
  'iri-reference': ['a b', '\ud800'],
};
const BAD_JSON = ['{"name": "a"', '{"name": "a",}', "{'name': 'a'}", '{"n": NaN}', '{"a": 1} // comment', '{"name":"a"}garbage', '[', '', '   ', 'nul', 'undefined', '{"a":"\\x41"}', 'name=a&slug=b', '<xml/>'];

const typesOf = (schema: Json): string[] => (Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : []);
const SAMPLES: Record<string, unknown> = { string: 'text', integer: 7, number: 1.5, boolean: true, null: null, array: ['a'], object: { a: 'b' } };

export function deepJson(depth: number, rng: SeededRandom): string {
  const kinds = Array.from({ length: depth }, () => (rng.chance(0.5) ? 'array' : 'object'));
  return kinds.map((k) => (k === 'array' ? '[' : '{"a":')).join('') + '"bottom"' + [...kinds].reverse().map((k) => (k === 'array' ? ']' : '}')).join('');
}

type Mutation = (body: Json, schema: Json, rng: SeededRandom, schemas: ContractSchemas) => Variant | undefined;

function writable(schema: Json, schemas: ContractSchemas): [string, Json][] {
  return Object.entries((schema.properties ?? {}) as Json).map(([k, s]) => [k, schemas.resolve(s)] as [string, Json]).filter(([, s]) => !s.readOnly);
}

function withProperty(body: Json, key: string, value: unknown): Json {
  return { ...body, [key]: value };
}

/** The body as JSON text with one property's value written as raw bytes, which JSON.stringify cannot produce. */
function withRawProperty(body: Json, key: string, raw: string | Buffer): Buffer {
  const [before, after] = JSON.stringify(withProperty(body, key, '\u0001')).split('"\\u0001"');
  return Buffer.concat([Buffer.from(before), typeof raw === 'string' ? Buffer.from(raw) : raw, Buffer.from(after)]);
}

/** A property of the schema whose subschema passes the test, picked at random. */
function propertyWhere(schema: Json, schemas: ContractSchemas, rng: SeededRandom, test: (s: Json) => boolean): [string, Json] | undefined {
  const candidates = writable(schema, schemas).filter(([, s]) => test(s));
  return candidates.length ? rng.pick(candidates) : undefined;
}

const MUTATIONS: Record<string, Mutation> = {
  'missing-required': (body, schema, rng) => {
    const present: string[] = (schema.required ?? []).filter((k: string) => k in body);
    if (!present.length) return undefined;
    const key = rng.pick(present);
    const { [key]: _dropped, ...rest } = body;
    return { label: `missing-required ${key}`, value: rest };
  },
  'wrong-type': (body, schema, rng, schemas) => {
    const found = propertyWhere(schema, schemas, rng, (s) => typesOf(s).length > 0);
    if (!found) return undefined;
    const wrong = Object.keys(SAMPLES).filter((t) => !typesOf(found[1]).includes(t) && !(t === 'integer' && typesOf(found[1]).includes('number')) && !(t === 'number' && typesOf(found[1]).includes('integer')));
    const type = rng.pick(wrong);
    return { label: `wrong-type ${found[0]} as ${type}`, value: withProperty(body, found[0], SAMPLES[type]) };
  },
  null: (body, schema, rng, schemas) => {
    const found = propertyWhere(schema, schemas, rng, (s) => typesOf(s).length > 0 && !typesOf(s).includes('null'));
    return found && { label: `null ${found[0]}`, value: withProperty(body, found[0], null) };
  },
  'too-long': (body, schema, rng, schemas) => {
    const found = propertyWhere(schema, schemas, rng, (s) => typeof s.maxLength === 'number');
    if (!found) return undefined;
    const value = rng.chance(0.5) ? 'a'.repeat(found[1].maxLength) + '🙂' : 'x'.repeat(found[1].maxLength + 1);
    return { label: `too-long ${found[0]}`, value: withProperty(body, found[0], value) };
  },
  'too-short': (body, schema, rng, schemas) => {
    const found = propertyWhere(schema, schemas, rng, (s) => (s.minLength ?? 0) > 0);
    return found && { label: `too-short ${found[0]}`, value: withProperty(body, found[0], '') };
  },
  'huge-string': (body, schema, rng, schemas) => {
    const found = propertyWhere(schema, schemas, rng, (s) => typesOf(s).includes('string'));
    if (!found) return undefined;
    const length = rng.pick([100_000, 600_000, 1_200_000]);
    return { label: `huge-string ${found[0]} ${length}`, value: withProperty(body, found[0], 'h'.repeat(length)) };
  },
  pattern: (body, schema, rng, schemas) => {
    const found = propertyWhere(schema, schemas, rng, (s) => typeof s.pattern === 'string');
    return found && { label: `pattern ${found[0]}`, value: withProperty(body, found[0], rng.pick(['Not A Slug!', '--', 'a--b', '-a', 'A', 'ü', ' x '])) };
  },
  format: (body, schema, rng, schemas) => {
    const itemFormat = (s: Json) => s.format ?? schemas.resolve(s.items ?? {}).format;
    const found = propertyWhere(schema, schemas, rng, (s) => BAD_FORMATS[itemFormat(s)] !== undefined);
    if (!found) return undefined;
    const bad = rng.pick(BAD_FORMATS[itemFormat(found[1])]);
    return { label: `format ${found[0]} ${itemFormat(found[1])}`, value: withProperty(body, found[0], typesOf(found[1]).includes('array') ? [bad] : bad) };
  },
  enum: (body, schema, rng, schemas) => {
    const found = propertyWhere(schema, schemas, rng, (s) => Array.isArray(s.enum) || Array.isArray(schemas.resolve(s.items ?? {}).enum));
    if (!found) return undefined;
    const bad = rng.pick(['OWNER', 'superuser', '', 'owner ', 'admin\u0000', 'organization:*']);
    return { label: `enum ${found[0]}`, value: withProperty(body, found[0], found[1].enum ? bad : [bad]) };
  },
  bounds: (body, schema, rng, schemas) => {
    const found = propertyWhere(schema, schemas, rng, (s) => typesOf(s).includes('integer') || typesOf(s).includes('number'));
    if (!found) return undefined;
    const s = found[1];
    const options = [s.minimum !== undefined ? s.minimum - 1 : -1, s.maximum !== undefined ? s.maximum + 1 : 2 ** 31, 1.5, 1e308, -1e308, '5'];
    return { label: `bounds ${found[0]}`, value: withProperty(body, found[0], rng.pick(options)) };
  },
  'huge-number': (body, schema, rng, schemas) => {
    const found = propertyWhere(schema, schemas, rng, () => true);
    if (!found) return undefined;
    const number = rng.pick(HUGE_NUMBERS);
    return { label: `huge-number ${found[0]} ${number}`, raw: withRawProperty(body, found[0], number) };
  },
  'oversized-array': (body, schema, rng, schemas) => {
    const found = propertyWhere(schema, schemas, rng, (s) => typesOf(s).includes('array'));
    if (!found) return undefined;
    const length = rng.chance(0.5) ? (found[1].maxItems ?? 100) + 1 : 10_000;
    const item = Array.isArray(body[found[0]]) && body[found[0]].length ? body[found[0]][0] : 'item';
    const unique = rng.chance(0.5);
    return { label: `oversized-array ${found[0]} ${length}${unique ? '' : ' repeated'}`, value: withProperty(body, found[0], Array.from({ length }, (_, i) => (unique && typeof item === 'string' ? `${item}${i}` : item))) };
  },
  'oversized-map': (body, schema, rng, schemas) => {
    const found = propertyWhere(schema, schemas, rng, (s) => typeof s.additionalProperties === 'object');
    if (!found) return undefined;
    const how = rng.pick(['count', 'long-key', 'empty-key', 'proto', 'non-string']);
    const limit = found[1].maxProperties ?? 25;
    const maps: Record<string, Json> = {
      count: Object.fromEntries(Array.from({ length: rng.chance(0.5) ? limit + 1 : 5000 }, (_, i) => [`k${i}`, 'v'])),
      'long-key': { ['k'.repeat(5000)]: 'v' },
      'empty-key': { '': 'v' },
      proto: JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": "x"}'),
      'non-string': { k: rng.pick([1, true, null, ['a'], { deep: 'x' }]) },
    };
    return { label: `oversized-map ${found[0]} ${how}`, value: withProperty(body, found[0], maps[how]) };
  },
  'unknown-property': (body, _schema, rng) => {
    const key = rng.pick(UNKNOWN_KEYS);
    return { label: `unknown-property ${JSON.stringify(key)}`, raw: Buffer.from(JSON.stringify(body).replace(/^\{/, `{${JSON.stringify(key)}:"x"${Object.keys(body).length ? ',' : ''}`)) };
  },
  'odd-unicode': (body, schema, rng, schemas) => {
    const found = propertyWhere(schema, schemas, rng, (s) => typesOf(s).includes('string'));
    if (!found) return undefined;
    if (rng.chance(0.3)) return { label: `odd-unicode ${found[0]} lone-surrogate`, raw: withRawProperty(body, found[0], '"a\\ud800b"') };
    return { label: `odd-unicode ${found[0]}`, value: withProperty(body, found[0], rng.pick(ODD_UNICODE)) };
  },
  'deep-nesting': (body, schema, rng, schemas) => {
    const found = propertyWhere(schema, schemas, rng, () => true);
    const depth = rng.pick([40, 500, 20_000]);
    const key = found?.[0] ?? 'nested';
    return { label: `deep-nesting ${key} ${depth}`, raw: withRawProperty(body, key, deepJson(depth, rng)) };
  },
  'top-level': (body, _schema, rng) => {
    const value = rng.pick([[body], 'text', 42, null, true, [], {}]);
    return { label: `top-level ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}${JSON.stringify(value) === '{}' ? ' empty' : ''}`, value };
  },
  'bad-json': (_body, _schema, rng) => {
    const text = rng.pick(BAD_JSON);
    return { label: `bad-json ${JSON.stringify(text)}`, raw: Buffer.from(text) };
  },
  'bad-bytes': (body, schema, rng, schemas) => {
    const json = Buffer.from(JSON.stringify(body));
    const key = propertyWhere(schema, schemas, rng, (s) => typesOf(s).includes('string'))?.[0] ?? 'text';
    const how = rng.pick(['bom', 'invalid-utf8', 'utf16', 'nul-bytes']);
    const raw = {
      bom: () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json]),
      'invalid-utf8': () => withRawProperty(body, key, Buffer.from([0x22, 0x61, 0xff, 0xfe, 0xc0, 0xaf, 0x22])),
      utf16: () => Buffer.from(JSON.stringify(body), 'utf16le'),
      'nul-bytes': () => Buffer.concat([json, Buffer.from([0, 0])]),
    }[how]!();
    return { label: `bad-bytes ${how}${how === 'invalid-utf8' ? ` ${key}` : ''}`, raw };
  },
};

export const MUTATION_NAMES = Object.keys(MUTATIONS);

/** One hostile variant of a valid body, by a mutation that applies to its schema (tries a few). */
export function hostileVariant(body: unknown, schema: Json, rng: SeededRandom, schemas: ContractSchemas): Variant {
  const object = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Json) : {};
  const resolved = schemas.resolve(schema);
  for (let tries = 0; tries < 10; tries++) {
    const variant = MUTATIONS[rng.pick(MUTATION_NAMES)](object, resolved, rng, schemas);
    if (variant) return variant;
  }
  return MUTATIONS['top-level'](object, resolved, rng, schemas)!;
}
