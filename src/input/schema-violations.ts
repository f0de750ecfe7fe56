import type { ErrorObject } from 'ajv';
import type { Violation } from '../problems/app-error.js';

/** `/metadata/crm_id` -> `metadata.crm_id`, `/ip_allowlist/1` -> `ip_allowlist[1]`, as API Platform writes paths. */
export function propertyPath(pointer: string, child?: string): string {
  const segments = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) segments.push(child);
  return segments.reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : path ? `${path}.${s}` : s), '');
}

function describe(error: ErrorObject): Omit<Violation, 'propertyPath' | 'payload'> {
  const p = error.params as Record<string, unknown>;
  const description = (error.parentSchema as { description?: string } | undefined)?.description;
  switch (error.keyword) {
    case 'required':
      return { code: 'required', message: 'This property is required.', hint: `Send "${p.missingProperty}".` };
    case 'additionalProperties':
      return { code: 'unknown_property', message: 'This property is not allowed.', hint: `Known properties: ${Object.keys((error.parentSchema as { properties?: object })?.properties ?? {}).join(', ')}.` };
    case 'type':
      return { code: 'invalid_type', message: `This value should be of type ${String(p.type).replace(',', ' or ')}.`, hint: description };
    case 'minLength':
      return { code: 'too_short', message: `This value is too short. It should have ${p.limit} character${p.limit === 1 ? '' : 's'} or more.` };
    case 'maxLength':
      return { code: 'too_long', message: `This value is too long. It should have ${p.limit} characters or less.` };
    case 'format':
      return { code: 'invalid_format', message: `This value is not a valid ${p.format}.`, hint: description };
    case 'pattern':
      return { code: 'invalid_format', message: 'This value does not have the expected format.', hint: description };
    case 'enum':
      return { code: 'invalid_choice', message: 'The value you selected is not a valid choice.', hint: `One of: ${(p.allowedValues as unknown[]).join(', ')}.` };
    case 'maxProperties':
      return { code: 'too_many_entries', message: `This map should have ${p.limit} entries or less.` };
    case 'unknownProperties': // from the size pass: more unknown properties than a problem lists
      return { code: 'unknown_properties', message: `This object has ${p.count} properties that are not allowed, too many to list one by one.`, hint: `Known properties: ${Object.keys((error.parentSchema as { properties?: object })?.properties ?? {}).join(', ')}.` };
    case 'maxItems':
      return { code: 'too_many_items', message: `This list should have ${p.limit} items or less.` };
    case 'uniqueItems':
      return { code: 'duplicate_items', message: `This list contains the same value twice (items ${p.j} and ${p.i}).` };
    default:
      return { code: error.keyword, message: error.message ?? 'This value is not valid.' };
  }
}

/** One violation per problem ajv found; a bad key of a map is reported at that key. */
export function toViolations(errors: ErrorObject[]): Violation[] {
  return errors
    .filter((e) => e.keyword !== 'propertyNames')
    .map((e) => {
      const p = e.params as Record<string, unknown>;
      const child = (p.missingProperty ?? p.additionalProperty ?? e.propertyName) as string | undefined;
      const path = propertyPath(e.instancePath, child);
      const { missingProperty, additionalProperty, ...payload } = p;
      const { hint, ...rest } = describe(e);
      return { propertyPath: path, ...rest, ...(hint ? { hint } : {}), ...(Object.keys(payload).length ? { payload } : {}) };
    });
}
