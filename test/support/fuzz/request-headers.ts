/**
 * The headers of a request: Accept (documented, wildcard, lists, hostile), the RFC 9110
 * conditional headers with current, stale and bad ETags, Idempotency-Key (new, bad, replayed,
 * reused for another request) and any header parameter the document declares.
 */
import type { DocumentedOperation, Json } from './openapi-operations.js';
import { valid, type BodyPart, type Part, type PlanContext } from './plan-context.js';

const HOSTILE_ACCEPT = ['text/html', 'application/xml', 'text/plain', 'image/png', ';;;', 'application/json;q=0', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'application/problem+json', 'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"', 'application/ld+json; profile="http://www.w3.org/ns/json-ld#flattened"', 'application/ld+json; profile="urn:unknown"', 'application/*;q=0.1, text/*'];
const HOSTILE_HEADER_VALUES = ['', ' ', 'x'.repeat(300), 'a\tb', '\u00ff', '"', '*', 'W/"x"', 'null'];
const BAD_ETAGS = ['*', '"nope"', 'W/"nope"', 'unquoted', '"a", "b"', '""', 'W/', '"x'.repeat(50)];

// --- headers -----------------------------------------------------------------------------------

export function acceptHeader(operation: DocumentedOperation, ctx: PlanContext): Part & { headers: Record<string, string> } {
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
export function protocolHeaders(operation: DocumentedOperation, path: string, ctx: PlanContext): Part & { headers: Record<string, string> } {
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

export function headerParameters(operation: DocumentedOperation, ctx: PlanContext): Part & { headers: Record<string, string> } {
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

export interface Idempotency extends Part {
  headers: Record<string, string>;
  target: string;
  body: BodyPart;
}

/** Idempotency-Key on writes: a new key, a bad one, the last key replayed with the very same request, or reused for another. */
export function idempotencyHeader(operation: DocumentedOperation, target: string, body: BodyPart, ctx: PlanContext): Idempotency {
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
