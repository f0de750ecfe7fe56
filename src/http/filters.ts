import type { Request } from 'express';
import { AppError } from '../problems/app-error.js';

/** An optional query parameter restricted to a list of values; anything else is a 400 naming it. */
export function choiceFilter<T extends string>(req: Request, name: string, values: readonly T[]): T | undefined {
  const raw = req.query[name];
  if (raw === undefined) return undefined;
  if (typeof raw === 'string' && (values as readonly string[]).includes(raw)) return raw as T;
  throw new AppError('malformed-request', `The query parameter "${name}" must be one of ${values.join(', ')}, got ${JSON.stringify(raw)}.`);
}
