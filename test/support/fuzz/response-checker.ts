/**
 * Checks one answer against what the document says of its operation: no 5xx, a documented
 * status, a documented content type, a body valid against that response's schema (as written,
 * then closed to undocumented keys), and every documented header present when required and
 * valid against its schema.
 */
import type { ErrorObject } from 'ajv';
import type { ContractSchemas } from './contract-schemas.js';
import type { Answer } from './http-exchange.js';
import { deref, documentedResponse, isJsonMedia, type DocumentedOperation, type Json } from './openapi-operations.js';

export type MismatchKind =
  | 'server-error'
  | 'no-answer'
  | 'undocumented-status'
  | 'content-type'
  | 'unexpected-body'
  | 'body-not-json'
  | 'body-schema'
  | 'undocumented-property'
  | 'missing-header'
  | 'header-schema';

export interface Mismatch {
  kind: MismatchKind;
  /** What, inside the answer: the schema path that failed, the header, the media type. */
  where: string;
  /** What the document says against what came back, in words. */
  detail: string;
}

const DOCUMENT_PREFIX = /^https:\/\/contract-fuzz\.test\/api\/docs\.json/;

export function mediaTypeOf(answer: Answer): string | undefined {
  const header = answer.headers['content-type'];
  return header ? header.split(';')[0].trim().toLowerCase() : undefined;
}

/**
 * The content key the answer's Content-Type names: with its parameters when the document lists
 * that variant (`application/ld+json; profile="…"`), else the bare media type. charset is not a
 * variant of the representation.
 */
function documentedKey(answer: Answer, content: Json): string | undefined {
  const header = answer.headers['content-type'];
  if (!header) return undefined;
  const normalise = (type: string) => type.split(';').map((part) => part.trim()).filter((part, i) => i === 0 || !/^charset=/i.test(part)).join('; ').toLowerCase();
  const wanted = normalise(header);
  return Object.keys(content).find((key) => normalise(key) === wanted);
}

function schemaErrors(errors: ErrorObject[] | null | undefined, kind: MismatchKind, schemas: ContractSchemas): Mismatch[] {
  const all = errors ?? [];
  // An anyOf that fails reports each branch too: the anyOf itself says it once.
  const unions = all.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const kept = all.filter((e) => !unions.some((u) => e.instancePath.startsWith(u.instancePath) && e.schemaPath.startsWith(`${u.schemaPath}/`)));
  return kept.map((e) => {
    const named = e.params.missingProperty ?? e.params.additionalProperty ?? e.params.unevaluatedProperty;
    const place = schemas.pointerOf(e.parentSchema);
    const where = `${place ? `${place}/${e.keyword}` : e.schemaPath.replace(DOCUMENT_PREFIX, '')}${named !== undefined ? `:${named}` : ''}`;
    return { kind, where, detail: `at ${e.instancePath || '(root)'}: ${e.message}${named !== undefined ? ` "${named}"` : ''} (${JSON.stringify(e.params)})` };
  });
}

function listed(operation: DocumentedOperation): string {
  return Object.keys(operation.responses).join(', ');
}

function headerValue(raw: string, schema: Json): unknown {
  const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
  if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (types.includes('boolean') && /^(true|false)$/.test(raw)) return raw === 'true';
  if (types.includes('array')) return raw.split(',').map((part) => part.trim());
  return raw;
}

function headerMismatches(response: Json, answer: Answer, schemas: ContractSchemas, document: Json): Mismatch[] {
  const found: Mismatch[] = [];
  for (const [name, raw] of Object.entries((response.headers ?? {}) as Json)) {
    if (name.toLowerCase() === 'content-type') continue; // OpenAPI: a Content-Type header definition is ignored
    const header = deref(document, raw);
    const value = answer.headers[name.toLowerCase()];
    if (value === undefined) {
      if (header.required) found.push({ kind: 'missing-header', where: name, detail: `the document requires the ${name} header; it is missing` });
      continue;
    }
    const schema = header.schema ? schemas.resolve(header.schema) : undefined;
    if (!schema) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    const validate = schemas.validator(schema);
    if (!validate(headerValue(text, schema))) {
      for (const m of schemaErrors(validate.errors, 'header-schema', schemas)) found.push({ ...m, where: `${name} ${m.where}`, detail: `${name}: ${JSON.stringify(text)} ${m.detail}` });
    }
  }
  return found;
}

function bodyMismatches(schema: Json | undefined, media: string, answer: Answer, schemas: ContractSchemas): Mismatch[] {
  if (!schema) return [];
  let body: unknown = answer.body.toString('utf8');
  if (isJsonMedia(media)) {
    try {
      body = JSON.parse(body as string);
    } catch {
      return [{ kind: 'body-not-json', where: media, detail: `the body of a ${media} answer is not JSON` }];
    }
  }
  const open = schemas.validator(schema, 'open');
  if (!open(body)) return schemaErrors(open.errors, 'body-schema', schemas);
  const closed = schemas.validator(schema, 'closed');
  return closed(body) ? [] : schemaErrors(closed.errors, 'undocumented-property', schemas);
}

export function checkAnswer(operation: DocumentedOperation, answer: Answer, schemas: ContractSchemas, document: Json): Mismatch[] {
  if (answer.transportError || answer.status === 0) return [{ kind: 'no-answer', where: 'transport', detail: `no complete answer: ${answer.transportError ?? 'none'}` }];
  if (answer.status >= 500) return [{ kind: 'server-error', where: String(answer.status), detail: `a ${answer.status}: the API failed on this request` }];
  const mismatches: Mismatch[] = [];
  const documented = documentedResponse(operation, answer.status);
  if (!documented) return [{ kind: 'undocumented-status', where: String(answer.status), detail: `the document lists ${listed(operation)}; the answer is ${answer.status}` }];
  const { response } = documented;
  const content: Json = response.content ?? {};
  const media = documentedKey(answer, content) ?? mediaTypeOf(answer);
  if (Object.keys(content).length === 0) {
    if (answer.body.length > 0) mismatches.push({ kind: 'unexpected-body', where: media ?? 'none', detail: `the document gives ${answer.status} no content; the answer has a ${answer.body.length}-byte ${media ?? 'untyped'} body` });
  } else if (!media || !content[media]) {
    const wildcard = media && (content[`${media.split('/')[0]}/*`] ?? content['*/*']);
    if (wildcard) mismatches.push(...bodyMismatches(wildcard.schema, media, answer, schemas));
    else mismatches.push({ kind: 'content-type', where: media ?? 'none', detail: `the document gives ${answer.status} as ${Object.keys(content).join(' or ')}; the answer is ${answer.headers['content-type'] ?? 'without Content-Type'}` });
  } else {
    mismatches.push(...bodyMismatches(content[media].schema, media, answer, schemas));
  }
  return [...mismatches, ...headerMismatches(response, answer, schemas, document)];
}
