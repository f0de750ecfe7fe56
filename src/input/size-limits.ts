import type { ErrorObject } from 'ajv';
import { MAX_LISTED_VIOLATIONS } from '../problems/app-error.js';
import type { JsonSchema } from '../resources/description.js';
import { setOwn } from './own-keys.js';

/**
 * Sizes first: with allErrors, ajv checks every item of a list even when the list is far over
 * its maxItems (150,000 items: 150,000 errors, 1.5 s and a 20 MB answer), and every pattern and
 * format of a string far over its maxLength. This pass reads the same schema, finds what is
 * over its maxItems, maxProperties or maxLength without looking inside, and hands the other
 * checks a copy in which those parts are null. Its work follows the schema, not the body.
 */
export interface SizeCheck {
  /** The value with each oversized part null, and containers no keyword looks into emptied. */
  bounded: unknown;
  /** One error per oversized string, list or map, shaped as ajv's are. */
  errors: ErrorObject[];
  /** Whether an error of the later checks is about a part replaced here: it would describe the replacement, not what was sent. */
  concernsReplaced(error: ErrorObject): boolean;
}

interface Schema {
  type?: string | string[];
  maxLength?: number;
  maxItems?: number;
  maxProperties?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
}

const allows = (schema: Schema, type: string) => schema.type === undefined || schema.type === type || (Array.isArray(schema.type) && schema.type.includes(type));
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const pointerTo = (pointer: string, key: string | number) => `${pointer}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

/**
 * As ajv counts (code points); a string more than twice as long as the limit is over it whatever
 * its characters. A lone high surrogate counts here as half a pair, so such a string may be left
 * to ajv, which then reports it: this pass may miss a long string, never refuse a short one.
 */
function longerThan(text: string, limit: number): boolean {
  if (text.length <= limit) return false;
  if (text.length > 2 * limit) return true;
  let pairs = 0;
  for (let i = 0; i < text.length; i++) if ((text.charCodeAt(i) & 0xfc00) === 0xd800) pairs++;
  return text.length - pairs > limit;
}

class Walk {
  readonly errors: ErrorObject[] = [];
  readonly replaced = new Set<string>();

  /** The part at `pointer`, or null when it is over its size (recorded as an error). */
  value(schema: Schema, value: unknown, pointer: string): unknown {
    if (typeof value === 'string') return schema.maxLength !== undefined && longerThan(value, schema.maxLength) ? this.over(schema, pointer, 'maxLength', schema.maxLength) : value;
    if (Array.isArray(value)) return this.list(schema, value, pointer);
    if (isObject(value)) return this.object(schema, value, pointer);
    return value;
  }

  private list(schema: Schema, list: unknown[], pointer: string): unknown {
    if (!allows(schema, 'array')) return []; // ajv reports the type and looks no further
    if (schema.maxItems !== undefined && list.length > schema.maxItems) return this.over(schema, pointer, 'maxItems', schema.maxItems);
    const items = schema.items;
    return items ? list.map((item, i) => this.value(items, item, pointerTo(pointer, i))) : list;
  }

  private object(schema: Schema, object: Record<string, unknown>, pointer: string): unknown {
    if (!allows(schema, 'object')) return {};
    const keys = Object.keys(object);
    if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) return this.over(schema, pointer, 'maxProperties', schema.maxProperties);
    const known = schema.properties ?? {};
    // Each unknown property is a violation; more than a problem lists are summed up as one.
    const unknown = schema.additionalProperties === false ? keys.filter((key) => !Object.hasOwn(known, key)).length : 0;
    if (unknown > MAX_LISTED_VIOLATIONS) return this.over(schema, pointer, 'unknownProperties', MAX_LISTED_VIOLATIONS, { count: unknown });
    const copy: Record<string, unknown> = {};
    for (const key of keys) {
      const entry = Object.hasOwn(known, key) ? known[key] : schema.additionalProperties;
      // An unknown property is refused by its key; what it holds is read by nobody.
      setOwn(copy, key, entry === false ? null : typeof entry === 'object' ? this.value(entry, object[key], pointerTo(pointer, key)) : object[key]);
    }
    return copy;
  }

  private over(schema: Schema, pointer: string, keyword: string, limit: number, extra: Record<string, unknown> = {}): null {
    this.errors.push({ keyword, instancePath: pointer, schemaPath: '', params: { limit, ...extra }, parentSchema: schema as Record<string, unknown> });
    this.replaced.add(pointer);
    return null;
  }
}

export function checkSizes(schema: JsonSchema, value: unknown): SizeCheck {
  const walk = new Walk();
  const bounded = walk.value(schema as Schema, value, '');
  const isReplaced = (pointer: string) => [...walk.replaced].some((cut) => pointer === cut || pointer.startsWith(`${cut}/`));
  return {
    bounded,
    errors: walk.errors,
    concernsReplaced(error) {
      if (walk.replaced.size === 0) return false;
      if (isReplaced(error.instancePath)) return true;
      // uniqueItems compares the items of a list: two replaced items are equal nulls, not duplicates sent.
      const { i, j } = error.params as { i?: number; j?: number };
      return error.keyword === 'uniqueItems' && [i, j].some((index) => walk.replaced.has(pointerTo(error.instancePath, index!)));
    },
  };
}
