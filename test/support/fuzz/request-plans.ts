/**
 * One request for one documented operation, built from what the document says of it (path and
 * query parameters, header parameters, request body media types and schemas, security) and
 * what the world has seen (real ids, ETags, links): valid most of the time, near-valid or
 * hostile the rest, in every part of the request.
 */
import type { ContractSchemas } from './contract-schemas.js';
import type { Sent } from './defects.js';
import type { FuzzWorld, FollowableLink } from './fuzz-world.js';
import { hostileVariant } from './hostile-values.js';
import type { OutgoingRequest } from './http-exchange.js';
import { fillPath, isJsonMedia, type DocumentedOperation, type Json, type Parameter } from './openapi-operations.js';
import { principalNamed, type Principal, type Principals } from './principals.js';
import { validValue, type ValueContext } from './schema-values.js';
import type { SeededRandom } from './seeded-random.js';

export interface PlanContext {
  rng: SeededRandom;
  schemas: ContractSchemas;
  world: FuzzWorld;
  principals: Principals;
  /** The fuzzer's own gaps (a schema it cannot satisfy): reported apart from the API's defects. */
  fuzzerErrors: Set<string>;
  /** The last Idempotency-Key sent per operation, to replay it with the same body or another. */
  idempotency: Map<string, { key: string; target: string; body?: Buffer; type?: string }>;
}

interface Part {
  label: string;
}

const MALFORMED_IDS = ['not-a-uuid', '%ZZ', '%', '%C0%AF', '%00', '12345', 'x'.repeat(2000), encodeURIComponent('ü🙂'), '..', '%2e%2e', encodeURIComponent("' OR 1=1--"), '%2F', 'null', '-1', '%E2%80%AE', '%F0%9F', '%20'];
const HOSTILE_QUERY = ['', 'abc', '-1', '0', '1.5', '1e3', '99999999999999999999', 'null', 'true', '%ZZ', '%00', '%F0%9F%99%82', 'x'.repeat(3000), '%27%20OR%201%3D1--', 'ASC', '%20asc', 'desc%00', '%E2%80%AE'];
const HOSTILE_CURSORS = ['', 'garbage', '%ZZ', 'A'.repeat(500), Buffer.from('{"k":"\'; DROP TABLE x"}').toString('base64url'), Buffer.from('[1e400,null]').toString('base64url'), '..%2F..'];
const HOSTILE_ACCEPT = ['text/html', 'application/xml', 'text/plain', 'image/png', ';;;', 'application/json;q=0', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'application/problem+json', 'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"', 'application/ld+json; profile="http://www.w3.org/ns/json-ld#flattened"', 'application/ld+json; profile="urn:unknown"', 'application/*;q=0.1, text/*'];
const HOSTILE_CONTENT_TYPES = ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/jsonx', 'application/json, text/plain', 'APPLICATION/JSON', '*/*', 'application/merge-patch+json', 'application/json', 'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"'];
const HOSTILE_HEADER_VALUES = ['', ' ', 'x'.repeat(300), 'a\tb', '\u00ff', '"', '*', 'W/"x"', 'null'];
const BAD_ETAGS = ['*', '"nope"', 'W/"nope"', 'unquoted', '"a", "b"', '""', 'W/', '"x'.repeat(50)];

function principalOf(ctx: PlanContext): Principal {
  const p = ctx.principals;
  return ctx.rng.weighted([[p.owner, 30], [p.admin, 10], [p.member, 9], [p.stranger, 8], [p.invitee, 8], [p.integration, 10], [p.fewScopes, 8], [p.anonymous, 7], [p.badToken, 7]] as const);
}

function valueContext(ctx: PlanContext, optional: number): ValueContext {
  return { rng: ctx.rng, schemas: ctx.schemas, seen: (property) => ctx.world.seen(property), optional };
}

function valid(schema: Json, ctx: PlanContext, where: string, optional = 0.5): { value: unknown } | undefined {
  const generated = validValue(schema, valueContext(ctx, optional));
  if (!generated) ctx.fuzzerErrors.add(`No valid value found for ${where}: ${JSON.stringify(schema).slice(0, 200)}`);
  return generated;
}

// --- path --------------------------------------------------------------------------------------

interface PathPart extends Part {
  values: Record<string, string>;
  /** Who was given the IRI the values come from (real ids only). */
  seenBy?: string[];
}

function pathValues(operation: DocumentedOperation, ctx: PlanContext): PathPart {
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

function queryPairs(parameters: Parameter[], ctx: PlanContext, where: string): Part & { pairs: string[] } {
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

// --- headers -----------------------------------------------------------------------------------

function acceptHeader(operation: DocumentedOperation, ctx: PlanContext): Part & { headers: Record<string, string> } {
  const { rng } = ctx;
  const documented = [...new Set(Object.entries(operation.responses).filter(([s]) => /^2/.test(s)).flatMap(([, r]) => Object.keys((r as Json).content ?? {})))];
  const kind = rng.weighted([['documented', 55], ['none', 15], ['wildcard', 10], ['list', 5], ['hostile', 15]] as const);
  if (kind === 'none' || (kind === 'documented' && !documented.length)) return { label: 'accept:none', headers: {} };
  if (kind === 'documented') return { label: 'accept:documented', headers: { Accept: rng.pick(documented) } };
  if (kind === 'wildcard') return { label: 'accept:wildcard', headers: { Accept: rng.pick(['*/*', 'application/*']) } };
  if (kind === 'list' && documented.length) return { label: 'accept:list', headers: { Accept: documented.map((m, i) => `${m};q=${(0.9 - i / 10).toFixed(1)}`).join(', ') } };
  const accept = rng.pick(HOSTILE_ACCEPT);
  return { label: `accept:${accept.slice(0, 30)}`, headers: { Accept: accept } };
}

/** RFC 9110 conditional requests and the Idempotency-Key draft: sent whether or not the document lists them, as clients and caches do. */
function protocolHeaders(operation: DocumentedOperation, path: string, ctx: PlanContext): Part & { headers: Record<string, string> } {
  const { rng } = ctx;
  const etags = ctx.world.etagsOf(path);
  const documented = (name: string) => operation.parameters.find((p) => p.in === 'header' && p.name.toLowerCase() === name.toLowerCase());
  const conditional = (name: string) => {
    const roll = rng.next();
    if (roll < 0.5 && etags.length) return { label: `${name}:current`, value: etags[etags.length - 1] };
    if (roll < 0.65 && etags.length > 1) return { label: `${name}:stale`, value: etags[0] };
    if (roll < 0.8 && documented(name)) {
      const generated = valid(documented(name)!.schema, ctx, `${operation.label} header ${name}`);
      if (generated) return { label: `${name}:from-schema`, value: String(generated.value) };
    }
    return { label: `${name}:bad`, value: rng.pick(BAD_ETAGS) };
  };
  if (operation.method === 'GET' && rng.chance(0.2)) {
    const { label, value } = conditional('If-None-Match');
    return { label, headers: { 'If-None-Match': value } };
  }
  if (['PATCH', 'DELETE', 'PUT'].includes(operation.method) && rng.chance(0.25)) {
    const { label, value } = conditional('If-Match');
    return { label, headers: { 'If-Match': value } };
  }
  return { label: '', headers: {} };
}

function headerParameters(operation: DocumentedOperation, ctx: PlanContext): Part & { headers: Record<string, string> } {
  const { rng } = ctx;
  const handled = /^(if-match|if-none-match|idempotency-key|accept|content-type|authorization)$/i;
  const headers: Record<string, string> = {};
  const labels: string[] = [];
  for (const p of operation.parameters.filter((h) => h.in === 'header' && !handled.test(h.name))) {
    if (!p.required && !rng.chance(0.4)) continue;
    if (rng.chance(0.75)) {
      const generated = valid(p.schema, ctx, `${operation.label} header ${p.name}`);
      if (generated) headers[p.name] = String(generated.value);
    } else {
      headers[p.name] = rng.pick(HOSTILE_HEADER_VALUES);
      labels.push(`hostile ${p.name}`);
    }
  }
  return { label: labels.join(','), headers };
}

// --- body --------------------------------------------------------------------------------------

interface BodyPart extends Part {
  body?: Buffer;
  type?: string;
}

function bodyPart(operation: DocumentedOperation, ctx: PlanContext): BodyPart {
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

interface Idempotency extends Part {
  headers: Record<string, string>;
  target: string;
  body: BodyPart;
}

/** Idempotency-Key on writes: a new key, a bad one, the last key replayed with the very same request, or reused for another. */
function idempotencyHeader(operation: DocumentedOperation, target: string, body: BodyPart, ctx: PlanContext): Idempotency {
  const { rng } = ctx;
  if (!['POST', 'PATCH'].includes(operation.method) || !rng.chance(0.2)) return { label: '', headers: {}, target, body };
  const last = ctx.idempotency.get(operation.label);
  if (last && rng.chance(0.3)) return { label: 'idempotency:replay', headers: { 'Idempotency-Key': last.key }, target: last.target, body: { label: 'body:as-first-sent', body: last.body, type: last.type } };
  if (last && rng.chance(0.25)) return { label: 'idempotency:reused-for-another-request', headers: { 'Idempotency-Key': last.key }, target, body };
  const documented = operation.parameters.find((p) => p.in === 'header' && /^idempotency-key$/i.test(p.name));
  const generated = documented ? valid(documented.schema, ctx, `${operation.label} header Idempotency-Key`) : { value: `fuzz-${rng.uuid()}` };
  const good = rng.chance(0.8) && generated !== undefined;
  const key = good ? String(generated.value) : rng.pick(HOSTILE_HEADER_VALUES);
  ctx.idempotency.set(operation.label, { key, target, body: body.body, type: body.type });
  return { label: `idempotency:${good ? 'new' : 'bad'}`, headers: { 'Idempotency-Key': key }, target, body };
}

// --- the request -------------------------------------------------------------------------------

/** Half the time a real id is used by a partner that was given it (the invitee accepting its invitation), else by anyone. */
function principalFor(path: PathPart, ctx: PlanContext): Principal {
  const given = (path.seenBy ?? []).map((name) => principalNamed(ctx.principals, name)).filter((p): p is Principal => p !== undefined);
  return given.length && ctx.rng.chance(0.5) ? ctx.rng.pick(given) : principalOf(ctx);
}

export function planRequest(operation: DocumentedOperation, ctx: PlanContext, fixed?: Principal): Sent {
  const path = pathValues(operation, ctx);
  const principal = fixed ?? principalFor(path, ctx);
  const filled = fillPath(operation, path.values);
  const query = queryPairs(operation.parameters, ctx, operation.label);
  const accept = acceptHeader(operation, ctx);
  const protocol = protocolHeaders(operation, filled, ctx);
  const documented = headerParameters(operation, ctx);
  const target = query.pairs.length ? `${filled}?${query.pairs.join('&')}` : filled;
  const idempotency = idempotencyHeader(operation, target, bodyPart(operation, ctx), ctx);
  const body = idempotency.body;
  const headers = { ...principal.credential(ctx.rng), ...accept.headers, ...protocol.headers, ...documented.headers, ...idempotency.headers, ...(body.type ? { 'Content-Type': body.type } : {}) };
  const request: OutgoingRequest = { method: operation.method, target: idempotency.target, headers, body: body.body };
  const labels = [operation.pathNames.length ? path.label : '', query.label, accept.label, protocol.label, documented.label, idempotency.label, body.label];
  return { operation: operation.label, principal: principal.name, intent: labels.filter(Boolean).join(' '), request };
}

/** A pagination link the API gave, followed as the partner it was given to; now and then with its cursor spoilt. */
export function planLink(operation: DocumentedOperation, link: FollowableLink, principal: Principal, ctx: PlanContext): Sent {
  const { rng } = ctx;
  let target = link.target.replace(/^https?:\/\/[^/]+/, '');
  let label = 'link:as-given';
  if (/[?&](after|before)=/.test(target) && rng.chance(0.3)) {
    const cursor = rng.pick(HOSTILE_CURSORS);
    target = target.replace(/([?&](?:after|before)=)[^&]*/, `$1${cursor}`);
    label = `link:cursor=${cursor.slice(0, 20)}`;
  }
  const accept = acceptHeader(operation, ctx);
  return { operation: operation.label, principal: principal.name, intent: `${label} ${accept.label}`, request: { method: 'GET', target, headers: { ...principal.credential(rng), ...accept.headers } } };
}
