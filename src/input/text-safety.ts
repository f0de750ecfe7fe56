import type { Violation } from '../problems/app-error.js';
import { violation } from '../problems/violation.js';

// NUL, and UTF-16 surrogates without their pair: neither survives UTF-8 storage (PostgreSQL refuses both, SQLite mangles the second).
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

// Deeper than any schema allows: the schema refuses those values, and recursion must stay bounded.
const MAX_DEPTH = 16;

/** A violation for every string (values and keys) that could not be stored as sent. */
export function unstorableText(value: unknown, path = '', depth = 0): Violation[] {
  if (typeof value === 'string') return isStorableText(value) ? [] : [unstorable(path)];
  if (typeof value !== 'object' || value === null || depth >= MAX_DEPTH) return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => unstorableText(item, `${path}[${i}]`, depth + 1));
  return Object.entries(value).flatMap(([key, item]) => {
    const at = path ? `${path}.${key}` : key;
    return [...(isStorableText(key) ? [] : [unstorable(at)]), ...unstorableText(item, at, depth + 1)];
  });
}

const unstorable = (propertyPath: string): Violation => violation('invalid_characters', propertyPath, {});
