import type { Request } from 'express';
import { AppError } from '../problems/app-error.js';
import { ORDER_DIRECTIONS, type ResourceDescription, type SearchVariable } from '../resources/description.js';
import { isStorableText } from '../input/text-safety.js';

function problem(name: string, expected: string, raw: unknown): AppError {
  return new AppError('malformed-request', `The query parameter "${name}" must be ${expected}, got ${JSON.stringify(raw)}.`);
}

/** A sort direction matches its schema's pattern, and is read in lower case (see orderVariable). */
function direction(name: string, variable: SearchVariable, raw: unknown): string {
  const pattern = new RegExp(String(variable.schema.pattern), 'u');
  if (typeof raw === 'string' && pattern.test(raw)) return raw.toLowerCase();
  throw problem(name, `${ORDER_DIRECTIONS.join(' or ')}, in any case`, raw);
}

function check(name: string, variable: SearchVariable, raw: unknown): string {
  if (typeof raw === 'string' && !isStorableText(raw)) throw problem(name, 'well-formed text (no NUL, no unpaired surrogate)', raw);
  if (variable.order) return direction(name, variable, raw);
  const { enum: choices, minLength = 0, maxLength = Infinity } = variable.schema as { enum?: string[]; minLength?: number; maxLength?: number };
  if (choices) {
    if (typeof raw === 'string' && choices.includes(raw)) return raw;
    throw problem(name, `one of ${choices.join(', ')}`, raw);
  }
  if (typeof raw === 'string' && raw.length >= minLength && raw.length <= maxLength) return raw;
  throw problem(name, `a text of ${minLength} to ${maxLength} characters`, raw);
}

/**
 * The collection's search variables present in the query, checked against their schemas
 * from the description: a bad value (or the same variable twice) is a 400 naming it.
 */
export function readFilters(req: Request, resource: ResourceDescription): Record<string, string> {
  const filters: Record<string, string> = {};
  for (const [name, variable] of Object.entries(resource.search ?? {})) {
    const raw = req.query[name];
    if (raw !== undefined) filters[name] = check(name, variable, raw);
  }
  return filters;
}
