import { isDeepStrictEqual } from 'node:util';
import { schemaId } from '../generators/json-schema.js';
import { defaultValues, writableProperties, type ResourceDescription } from '../resources/description.js';
import { invalid } from '../problems/violation.js';
import type { InputValidator } from './input-validator.js';
import { setOwn } from './own-keys.js';

/** RFC 7396 JSON Merge Patch: objects merge key by key, null removes, anything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else setOwn(result, key, applyMergePatch(Object.hasOwn(result, key) ? result[key] : undefined, value));
  }
  return result;
}

/**
 * What a merge patch changes in a resource's current values: the properties it may change, in
 * their new values, leaving out those that stay as they are. The use case calls it with the
 * current values it read (in its transaction, under its lock).
 */
export type MergePatch = (current: object) => Record<string, unknown>;

/**
 * The one merge-patch step of every PATCH: merge the patch into the current values of the
 * properties an update may set, put back the default of what it removed, check the result as
 * a whole against the create schema (a patch may not remove what is required, nor leave a map
 * with too many keys), and keep what differs. Create-only properties are not in the result, so
 * their `required` is not asked of it. A 422 lists every violation of the result.
 */
export function mergePatch(resource: ResourceDescription, validator: InputValidator, patch: Record<string, unknown>): MergePatch {
  const schema = schemaId(resource, 'create');
  const createOnly = new Set(writableProperties(resource, 'create').filter((key) => resource.properties[key].createOnly));
  const updatable = writableProperties(resource, 'update');
  return (current) => {
    const values = current as Record<string, unknown>;
    const defaults = defaultValues(resource);
    const writable = Object.fromEntries(updatable.map((key) => [key, values[key] ?? null]));
    const merged = applyMergePatch(writable, patch) as Record<string, unknown>;
    for (const key of updatable) if (!(key in merged) && key in defaults) merged[key] = defaults[key];
    const stored = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== null));
    const violations = validator.check(schema, stored).filter((v) => !(v.code === 'required' && createOnly.has(v.propertyPath)));
    if (violations.length) throw invalid(violations);
    return Object.fromEntries(Object.entries(merged).filter(([key, value]) => !isDeepStrictEqual(value, writable[key])));
  };
}
