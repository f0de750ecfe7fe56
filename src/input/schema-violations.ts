import type { ErrorObject } from 'ajv';
import type { Violation } from '../problems/app-error.js';
import { violation } from '../problems/violation.js';

/** `/metadata/crm_id` -> `metadata.crm_id`, `/ip_allowlist/1` -> `ip_allowlist[1]`, as API Platform writes paths. */
export function propertyPath(pointer: string, child?: string): string {
  const segments = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) segments.push(child);
  return segments.reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : path ? `${path}.${s}` : s), '');
}

const knownProperties = (error: ErrorObject) => Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});

/** The violation of one error ajv (or the size pass) found, by its keyword: each keyword our schemas use has its code. */
function describe(error: ErrorObject, path: string, payload: Record<string, unknown>): Violation {
  const p = error.params as Record<string, unknown>;
  const hint = (error.parentSchema as { description?: string } | undefined)?.description;
  const limit = p.limit as number;
  switch (error.keyword) {
    case 'required':
      return violation('required', path, { property: String(p.missingProperty) }, payload);
    case 'additionalProperties':
      return violation('unknown_property', path, { known: knownProperties(error) }, payload);
    case 'unknownProperties': // from the size pass: more unknown properties than a problem lists
      return violation('unknown_properties', path, { count: p.count as number, known: knownProperties(error) }, payload);
    case 'type':
      return violation('invalid_type', path, { expected: String(p.type).replace(',', ' or '), hint }, payload);
    case 'minLength':
      return violation('too_short', path, { limit }, payload);
    case 'maxLength':
      return violation('too_long', path, { limit }, payload);
    case 'format':
      return violation('invalid_format', path, { expected: String(p.format), hint }, payload);
    case 'pattern':
      return violation('invalid_format', path, { expected: `string of the pattern ${String(p.pattern)}`, hint }, payload);
    case 'enum':
      return violation('invalid_choice', path, { allowed: p.allowedValues as unknown[] }, payload);
    case 'const':
      return violation('invalid_choice', path, { allowed: [p.allowedValue] }, payload);
    case 'minimum':
      return violation('too_small', path, { limit }, payload);
    case 'maximum':
      return violation('too_large', path, { limit }, payload);
    case 'minItems':
      return violation('too_few_items', path, { limit }, payload);
    case 'maxItems':
      return violation('too_many_items', path, { limit }, payload);
    case 'maxProperties':
      return violation('too_many_entries', path, { limit }, payload);
    case 'uniqueItems':
      return violation('duplicate_items', path, { first: p.j as number, second: p.i as number }, payload);
    default:
      return violation('invalid_value', path, { rule: error.message ?? `breaks the rule ${error.keyword}` }, payload);
  }
}

/** One violation per problem ajv found; a bad key of a map is reported at that key. */
export function toViolations(errors: ErrorObject[]): Violation[] {
  return errors
    .filter((e) => e.keyword !== 'propertyNames')
    .map((e) => {
      const p = e.params as Record<string, unknown>;
      const child = (p.missingProperty ?? p.additionalProperty ?? e.propertyName) as string | undefined;
      const { missingProperty: _missing, additionalProperty: _additional, ...payload } = p;
      return describe(e, propertyPath(e.instancePath, child), payload);
    });
}
