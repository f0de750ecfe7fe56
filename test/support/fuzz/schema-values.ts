/**
 * Values that a JSON Schema of the document accepts, generated from the schema itself: types,
 * enums and consts, formats, patterns (fast-check's stringMatching), lengths, bounds, required
 * and optional properties, maps. Every value is checked with ajv before it is used, so a value
 * the fuzzer calls valid is valid by the document, whatever the generator got wrong.
 */
import fc from 'fast-check';
import type { ContractSchemas } from './contract-schemas.js';
import type { Json } from './openapi-operations.js';
import type { SeededRandom } from './seeded-random.js';

export interface ValueContext {
  rng: SeededRandom;
  schemas: ContractSchemas;
  /** Values seen in the API's answers under this property name, tried first now and then (real emails, ids). */
  seen: (property: string) => readonly unknown[];
  /** How likely an optional property is sent; ones the schema says nothing useful about far less. */
  optional: number;
  /** Answers carry readOnly properties, requests do not. */
  readOnly?: boolean;
}

const WORDS = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne', 'tyrell', 'soylent', 'cyberdyne'];
const ODD_BUT_VALID = ['Ünïcødé', 'Zoë & Co', '日本語の会社', 'Ωmega', 'مرحبا', '🙂 Smile Ltd', 'naïve café', 'Ａｃｍｅ', 'e\u0301tude', 'Straße'];
const LANGUAGES = ['en', 'fr-CA', 'de', 'pt-BR', 'zh-Hant-TW', 'es-419', 'sr-Latn-RS', 'nl'];
const stringMatchers = new Map<string, fc.Arbitrary<string>>();

const codePoints = (s: string) => [...s].length;
const typesOf = (schema: Json): string[] => (Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : []);

function word(ctx: ValueContext): string {
  return `${ctx.rng.pick(WORDS)}${ctx.rng.int(0, 99999)}`;
}

function futureTime(ctx: ValueContext): string {
  const hours = ctx.rng.chance(0.8) ? ctx.rng.int(1, 24 * 29) : ctx.rng.int(-24 * 3, 24 * 60);
  return new Date(Date.now() + hours * 3_600_000).toISOString();
}

function cidr(ctx: ValueContext): string {
  if (ctx.rng.chance(0.3)) return ctx.rng.pick(['2001:db8::/32', 'fe80::/10', '::1/128', '2001:db8:abcd::/48']);
  const octets = Array.from({ length: 4 }, () => ctx.rng.int(0, 255)).join('.');
  return `${octets}/${ctx.rng.int(0, 32)}`;
}

const FORMATS: Record<string, (ctx: ValueContext) => string> = {
  email: (ctx) => `${word(ctx)}@${ctx.rng.pick(WORDS)}.example`,
  uuid: (ctx) => ctx.rng.uuid(),
  'date-time': futureTime,
  date: (ctx) => futureTime(ctx).slice(0, 10),
  uri: (ctx) => `https://${ctx.rng.pick(WORDS)}.example/${word(ctx)}`,
  'uri-reference': (ctx) => `/api/${word(ctx)}`,
  'iri-reference': (ctx) => `/api/${word(ctx)}`,
  iri: (ctx) => `https://${ctx.rng.pick(WORDS)}.example/ü/${word(ctx)}`,
  hostname: (ctx) => `${word(ctx)}.${ctx.rng.pick(['example', 'test', 'co.uk'])}`,
  ipv4: (ctx) => Array.from({ length: 4 }, () => ctx.rng.int(0, 255)).join('.'),
  ipv6: (ctx) => `2001:db8::${ctx.rng.int(1, 0xffff).toString(16)}`,
  cidr,
  bcp47: (ctx) => ctx.rng.pick(LANGUAGES),
};

function matching(pattern: string, ctx: ValueContext): string {
  let arbitrary = stringMatchers.get(pattern);
  if (!arbitrary) stringMatchers.set(pattern, (arbitrary = fc.stringMatching(new RegExp(pattern, 'u'))));
  return fc.sample(arbitrary, { seed: ctx.rng.fork(), numRuns: 1 })[0];
}

function plainString(schema: Json, ctx: ValueContext): string {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Math.max(min, 60);
  if (ctx.rng.chance(0.05)) return 'x'.repeat(max); // the longest the document allows
  const base = ctx.rng.chance(0.25) ? ctx.rng.pick(ODD_BUT_VALID) : `${ctx.rng.pick(WORDS)} ${word(ctx)}`;
  const padded = base.padEnd(min, 'z');
  return [...padded].slice(0, Math.max(min, Math.min(max, codePoints(padded)))).join('');
}

function stringValue(schema: Json, ctx: ValueContext): string {
  if (schema.format) {
    const format = FORMATS[schema.format];
    if (!format) throw new Error(`The fuzzer cannot generate format "${schema.format}" yet`);
    return format(ctx);
  }
  if (schema.pattern) return matching(schema.pattern, ctx);
  return plainString(schema, ctx);
}

function numberValue(schema: Json, ctx: ValueContext, integer: boolean): number {
  const low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (integer ? 1 : 0.5) : -1000);
  const high = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - (integer ? 1 : 0.5) : Math.max(low, 0) + 1000);
  const roll = ctx.rng.next();
  if (roll < 0.1) return low;
  if (roll < 0.2) return high;
  const small = Math.min(high, low + ctx.rng.int(0, 50));
  const value = roll < 0.7 ? small : low + ctx.rng.next() * (high - low);
  return integer ? Math.floor(value) : value;
}

function arrayValue(schema: Json, ctx: ValueContext, depth: number): unknown[] {
  const min = schema.minItems ?? 0;
  const max = Math.min(schema.maxItems ?? min + 3, min + 3);
  const count = ctx.rng.int(min, Math.max(min, max));
  const items: unknown[] = [];
  for (let tries = 0; items.length < count && tries < count * 5; tries++) {
    const item = anyValue(schema.items ?? {}, ctx, depth + 1);
    if (schema.uniqueItems && items.some((i) => JSON.stringify(i) === JSON.stringify(item))) continue;
    items.push(item);
  }
  return items;
}

const ANNOTATIONS = new Set(['type', 'description', 'title', 'default', 'examples', 'example', 'readOnly', 'writeOnly', 'deprecated', '$comment']);

/**
 * A schema that only names a type (or not even that) says nothing of which values the API takes
 * (`@type: {type: string}`): such optional properties are sent rarely, or most valid bodies
 * would be refused for them. A boolean is fully described by its type.
 */
function unconstrained(schema: Json): boolean {
  const types = typesOf(schema);
  const fullyTyped = types.length > 0 && types.every((t) => t === 'boolean' || t === 'null');
  return Object.keys(schema).every((key) => ANNOTATIONS.has(key)) && !fullyTyped;
}

function objectValue(schema: Json, ctx: ValueContext, depth: number): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const required = new Set<string>(schema.required ?? []);
  for (const [name, raw] of Object.entries((schema.properties ?? {}) as Json)) {
    const property = ctx.schemas.resolve(raw);
    if (property.readOnly && !ctx.readOnly) continue;
    const chance = required.has(name) ? 1 : unconstrained(property) ? ctx.optional / 10 : ctx.optional;
    if (!ctx.rng.chance(chance)) continue;
    result[name] = seenOr(name, property, ctx, () => anyValue(property, ctx, depth + 1));
  }
  const map = typeof schema.additionalProperties === 'object' ? ctx.schemas.resolve(schema.additionalProperties) : undefined;
  if (map && depth < 4) {
    const room = (schema.maxProperties ?? 5) - Object.keys(result).length;
    const entries = ctx.rng.int(Math.max(0, (schema.minProperties ?? 0) - Object.keys(result).length), Math.max(0, Math.min(room, 4)));
    for (let i = 0; i < entries; i++) {
      const key = schema.propertyNames ? stringValue({ type: 'string', ...ctx.schemas.resolve(schema.propertyNames) }, ctx) : word(ctx);
      result[key] = anyValue(map, ctx, depth + 1);
    }
  }
  return result;
}

/** A value seen in an answer for this property, when one fits its schema; otherwise a generated one. */
function seenOr(name: string, schema: Json, ctx: ValueContext, generate: () => unknown): unknown {
  const seen = ctx.seen(name);
  if (seen.length && ctx.rng.chance(0.4)) {
    const candidate = ctx.rng.pick(seen);
    if (ctx.schemas.validator(schema)(candidate)) return candidate;
  }
  return generate();
}

function scalarOf(type: string, schema: Json, ctx: ValueContext, depth: number): unknown {
  switch (type) {
    case 'string': return stringValue(schema, ctx);
    case 'integer': return numberValue(schema, ctx, true);
    case 'number': return numberValue(schema, ctx, false);
    case 'boolean': return ctx.rng.chance(0.5);
    case 'null': return null;
    case 'array': return arrayValue(schema, ctx, depth);
    case 'object': return objectValue(schema, ctx, depth);
    default: throw new Error(`Unknown JSON Schema type ${type}`);
  }
}

/** One value for the schema (not yet checked: see validValue). */
export function anyValue(raw: Json, ctx: ValueContext, depth = 0): unknown {
  const schema = ctx.schemas.resolve(raw);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return ctx.rng.pick(schema.enum);
  if (schema.anyOf || schema.oneOf) return anyValue(ctx.rng.pick(schema.anyOf ?? schema.oneOf), ctx, depth);
  if (schema.allOf) return anyValue(mergeAllOf(schema, ctx), ctx, depth);
  const types = typesOf(schema);
  const nonNull = types.filter((t) => t !== 'null');
  const type = types.includes('null') && (nonNull.length === 0 || ctx.rng.chance(0.15)) ? 'null' : nonNull.length ? ctx.rng.pick(nonNull) : inferredType(schema);
  return scalarOf(type, schema, ctx, depth);
}

function inferredType(schema: Json): string {
  if (schema.properties || schema.additionalProperties) return 'object';
  if (schema.items) return 'array';
  return 'string';
}

/** allOf as one schema: properties and required lists joined (enough for the object schemas documents use). */
function mergeAllOf(schema: Json, ctx: ValueContext): Json {
  const parts = [{ ...schema, allOf: undefined }, ...schema.allOf.map((s: Json) => ctx.schemas.resolve(s))];
  return parts.reduce((merged: Json, part: Json) => ({
    ...part,
    ...merged,
    properties: { ...(part.properties ?? {}), ...(merged.properties ?? {}) },
    required: [...new Set([...(merged.required ?? []), ...(part.required ?? [])])],
  }), {});
}

/** A value the schema accepts, checked with ajv; undefined when none was found in a few tries (a fuzzer gap, reported). */
export function validValue(schema: Json, ctx: ValueContext, tries = 25, mode: 'open' | 'closed' = 'open'): { value: unknown } | undefined {
  const validate = ctx.schemas.validator(schema, mode);
  for (let i = 0; i < tries; i++) {
    const value = anyValue(schema, ctx);
    if (validate(value)) return { value };
  }
  return undefined;
}
