import { schemaId, type SchemaMode } from '../generators/json-schema.js';
import type { Violation } from '../problems/app-error.js';
import { PREFIXES, writableProperties, type ResourceDescription } from '../resources/description.js';
import type { Handling } from './handling.js';
import { invalid, violation } from '../problems/violation.js';
import type { InputValidator } from './input-validator.js';
import { setOwn } from './own-keys.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** After normalization @context is gone; a merge patch may still carry one, and only ours (`ours[0]` its path) is read. */
function keywordViolations(ours: readonly string[], resource: ResourceDescription, body: Record<string, unknown>): Violation[] {
  const violations: Violation[] = [];
  const context = body['@context'];
  if (context !== undefined && !(typeof context === 'string' && ours.includes(context))) {
    violations.push(violation('unsupported_context', '@context', { context: typeof context === 'string' ? context : JSON.stringify(context).slice(0, 100), own: ours[0] }));
  }
  const type = body['@type'];
  const types = [resource.name, resource.iri?.replace(/^(\w+):/, (_, p: keyof typeof PREFIXES) => PREFIXES[p] ?? `${p}:`)];
  if (type !== undefined && !types.includes(type as string)) {
    violations.push(violation('invalid_type', '@type', { expected: resource.name, hint: `Send "@type": "${resource.name}" or leave it out.` }));
  }
  return violations;
}

/**
 * The properties validation reads, trimmed where the description says so. With lenient handling,
 * only those the client may write in this mode: the others are ignored (see handling.ts);
 * with strict handling, all of them, so the schema refuses those it may not write.
 */
function propertiesToRead(resource: ResourceDescription, writable: Set<string>, handling: Handling, body: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith('@') || (handling === 'lenient' && !writable.has(key))) continue;
    setOwn(input, key, resource.properties[key]?.trim && typeof value === 'string' ? value.trim() : value);
  }
  return input;
}

export interface BodyReading {
  handling: Handling;
  /** The resource's own context, as a path and as an absolute URL: the only @context a body may name. */
  ownContexts: readonly string[];
}

/**
 * Reads a create or merge-patch body (already in the resource's own terms) and validates it
 * against its JSON Schema from schemas/: the properties it sets, or a 422 listing every
 * violation. The same rule for every POST and PATCH: what the client may not write is
 * ignored, or, with strict handling, refused.
 */
export function resourceInput(resource: ResourceDescription, mode: SchemaMode, validator: InputValidator) {
  const schema = schemaId(resource, mode);
  const writable = new Set(writableProperties(resource, mode));
  return (body: unknown, { handling, ownContexts }: BodyReading): Record<string, unknown> => {
    if (!isObject(body)) throw invalid(validator.check(schema, body));
    const input = propertiesToRead(resource, writable, handling, body);
    const violations = [...keywordViolations(ownContexts, resource, body), ...validator.check(schema, input)];
    if (violations.length) throw invalid(violations);
    return input;
  };
}
