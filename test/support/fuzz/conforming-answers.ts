/**
 * For the fuzzer's own tests: what a request carried, read back as the API would read it, and
 * answers forged from the document itself (status, Content-Type, a body generated from the
 * response schema, every documented header), which the checker must find nothing wrong with.
 */
import type { ContractSchemas } from './contract-schemas.js';
import type { Answer } from './http-exchange.js';
import { deref, isJsonMedia, type DocumentedOperation, type Json } from './openapi-operations.js';
import { validValue } from './schema-values.js';
import type { SeededRandom } from './seeded-random.js';

/** A query string value as a server reads it for a parameter's schema: numbers and booleans from their text, arrays from repeats. */
function coerced(raw: string, schema: Json): unknown {
  const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
  if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw)) return Number(raw);
  if (types.includes('boolean') && /^(true|false)$/.test(raw)) return raw === 'true';
  return raw;
}

/** The documented query parameters of a request target, decoded, by name. */
export function queryValues(operation: DocumentedOperation, target: string): Map<string, unknown> {
  const values = new Map<string, unknown>();
  const query = target.split('?')[1] ?? '';
  for (const pair of query.split('&').filter(Boolean)) {
    const [rawName, rawValue = ''] = pair.split('=');
    const name = decodeURIComponent(rawName);
    const parameter = operation.parameters.find((p) => p.in === 'query' && p.name === name);
    if (!parameter) continue;
    const value = coerced(decodeURIComponent(rawValue), parameter.schema);
    const many = Array.isArray(parameter.schema.type) ? parameter.schema.type.includes('array') : parameter.schema.type === 'array';
    values.set(name, many ? [...((values.get(name) as unknown[]) ?? []), value] : value);
  }
  return values;
}

/** An answer exactly as the document describes this status and media type (undefined media: a response without content). */
export function conformingAnswer(operation: DocumentedOperation, status: string, media: string | undefined, document: Json, schemas: ContractSchemas, rng: SeededRandom): Answer {
  const response = operation.responses[status];
  const ctx = { rng, schemas, seen: () => [], optional: 0.5, readOnly: true };
  const headers: Record<string, string> = {};
  for (const [name, raw] of Object.entries((response.headers ?? {}) as Json)) {
    const header = deref(document, raw);
    const generated = header.schema ? validValue(header.schema, ctx) : { value: 'x' };
    if (!generated) throw new Error(`No value for header ${name} of ${operation.label} ${status}`);
    headers[name.toLowerCase()] = String(generated.value);
  }
  const code = /^\d{3}$/.test(status) ? Number(status) : status === 'default' ? 418 : Number(status[0]) * 100 + 99;
  if (!media) return { status: code, headers, body: Buffer.alloc(0), ms: 0 };
  const schema = response.content[media].schema ?? {};
  const body = validValue(schema, ctx, 50, 'closed');
  if (!body) throw new Error(`No body for ${operation.label} ${status} ${media}`);
  const text = isJsonMedia(media) ? JSON.stringify(body.value) : String(body.value);
  return { status: code, headers: { ...headers, 'content-type': `${media}; charset=utf-8` }, body: Buffer.from(text), ms: 0 };
}
