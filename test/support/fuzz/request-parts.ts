/**
 * The path, query and body of a request, each valid by the document most of the time and
 * near-valid or hostile the rest: real, foreign, unknown and malformed ids; query values from
 * each parameter's schema or not; bodies from the request schema, mutated, or not JSON at all.
 */
import { hostileVariant } from './hostile-values.js';
import { isJsonMedia, type DocumentedOperation, type Parameter } from './openapi-operations.js';
import { valid, type BodyPart, type Part, type PlanContext } from './plan-context.js';

const MALFORMED_IDS = ['not-a-uuid', '%ZZ', '%', '%C0%AF', '%00', '12345', 'x'.repeat(2000), encodeURIComponent('ü🙂'), '..', '%2e%2e', encodeURIComponent("' OR 1=1--"), '%2F', 'null', '-1', '%E2%80%AE', '%F0%9F', '%20'];
const HOSTILE_QUERY = ['', 'abc', '-1', '0', '1.5', '1e3', '99999999999999999999', 'null', 'true', '%ZZ', '%00', '%F0%9F%99%82', 'x'.repeat(3000), '%27%20OR%201%3D1--', 'ASC', '%20asc', 'desc%00', '%E2%80%AE'];
const HOSTILE_CONTENT_TYPES = ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/jsonx', 'application/json, text/plain', 'APPLICATION/JSON', '*/*', 'application/merge-patch+json', 'application/json', 'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"'];

// --- path --------------------------------------------------------------------------------------

export interface PathPart extends Part {
  values: Record<string, string>;
  /** Who was given the IRI the values come from (real ids only). */
  seenBy?: string[];
}

export function pathValues(operation: DocumentedOperation, ctx: PlanContext): PathPart {
  const { rng, world } = ctx;
  const names = operation.pathNames;
  if (!names.length) return { label: '', values: {} };
  const unknown = () => Object.fromEntries(names.map((n) => [n, rng.uuid()]));
  const bound = world.bindings(operation);
  const real = () => (bound.length ? { ...rng.pick(bound).values } : unknown());
  const kind = rng.weighted([['real', 60], ['mixed', 8], ['unknown', 10], ['malformed', 22]] as const);
  if (kind === 'real') {
    if (!bound.length) return { label: 'path:unknown(no real yet)', values: unknown() };
    const binding = rng.pick(bound);
    return { label: 'path:real', values: { ...binding.values }, seenBy: binding.seenBy };
  }
  if (kind === 'unknown') return { label: 'path:unknown', values: unknown() };
  if (kind === 'mixed') {
    const pool = world.anyBoundValue();
    return { label: 'path:mixed', values: pool.length ? Object.fromEntries(names.map((n) => [n, rng.pick(pool)])) : unknown() };
  }
  const values = rng.chance(0.7) ? real() : unknown();
  const name = rng.pick(names);
  const id = decodeURIComponent(values[name]);
  const variants = [...MALFORMED_IDS, id.toUpperCase(), id.replace(/-/g, ''), `${id}%20`, `%20${id}`, encodeURIComponent(`{${id}}`), `${id}x`, id.slice(0, -1)];
  values[name] = rng.pick(variants);
  return { label: `path:malformed ${name}=${values[name].slice(0, 40)}`, values };
}

// --- query -------------------------------------------------------------------------------------

function serialized(name: string, value: unknown, rawName: boolean): string[] {
  const key = rawName ? name : encodeURIComponent(name);
  const values = Array.isArray(value) ? value : [value];
  return values.map((v) => `${key}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`);
}

export function queryPairs(parameters: Parameter[], ctx: PlanContext, where: string): Part & { pairs: string[] } {
  const { rng } = ctx;
  const pairs: string[] = [];
  const labels: string[] = [];
  const rawNames = rng.chance(0.5);
  for (const p of parameters.filter((q) => q.in === 'query')) {
    if (!p.required && !rng.chance(0.45)) continue;
    if (p.required && rng.chance(0.05)) {
      labels.push(`missing ${p.name}`);
      continue;
    }
    if (rng.chance(0.75)) {
      const generated = valid(p.schema, ctx, `${where} query ${p.name}`);
      if (generated) pairs.push(...serialized(p.name, generated.value, rawNames));
      continue;
    }
    const hostile = rng.pick(HOSTILE_QUERY);
    labels.push(`hostile ${p.name}`);
    pairs.push(`${rawNames ? p.name : encodeURIComponent(p.name)}=${hostile}`);
    if (rng.chance(0.2)) pairs.push(`${p.name}=${hostile}`); // the same name twice
    if (rng.chance(0.1)) pairs.push(`${p.name}[]=1`);
  }
  if (rng.chance(0.08)) {
    const extra = rng.pick(['unknown=1', 'after=garbage', 'before=', 'page=2&page=3', 'order[unknown]=asc', `${'k'.repeat(100)}=v`, '%ZZ=1', '=', '&&']);
    labels.push(`extra ${extra.slice(0, 20)}`);
    pairs.push(extra);
  }
  return { label: `query:${labels.length ? labels.join(',') : pairs.length ? 'valid' : 'none'}`, pairs };
}

// --- body --------------------------------------------------------------------------------------

export function bodyPart(operation: DocumentedOperation, ctx: PlanContext): BodyPart {
  const { rng } = ctx;
  const content = operation.requestBody?.content ?? {};
  const media = Object.keys(content);
  if (!media.length) {
    if (!rng.chance(0.1)) return { label: '' };
    return { label: 'body:stray', body: Buffer.from(rng.pick(['{"stray":true}', 'garbage', '[]', '{"name":"x"}'])), type: rng.pick(['application/json', 'text/plain']) };
  }
  const type = rng.pick(media);
  const schema = content[type].schema ?? {};
  const kind = rng.weighted([['valid', 45], ['hostile', 40], ['wrong-type', 8], ['empty', 7]] as const);
  if (kind === 'empty') return { label: 'body:none', type: rng.chance(0.5) ? type : undefined };
  const generated = valid(schema, ctx, `${operation.label} body ${type}`);
  const text = (value: unknown) => Buffer.from(isJsonMedia(type) ? JSON.stringify(value) : String(value));
  if (!generated) return { label: 'body:none(no valid value)', type };
  if (kind === 'valid') return { label: `body:valid(${type})`, body: text(generated.value), type };
  if (kind === 'wrong-type') {
    const wrong = rng.pick([...HOSTILE_CONTENT_TYPES.filter((t) => !media.includes(t)), undefined]);
    return { label: `body:valid content-type:${wrong ?? 'none'}`, body: text(generated.value), type: wrong };
  }
  const variant = hostileVariant(generated.value, schema, rng, ctx.schemas);
  return { label: `body:${variant.label}`, body: variant.raw ?? text(variant.value), type };
}
