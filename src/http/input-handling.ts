import type { Request, Response } from 'express';
import type { Handling } from '../input/handling.js';

export type { Handling };

const HANDLINGS: readonly string[] = ['lenient', 'strict'] satisfies Handling[];

/** `handling=strict;x=y` -> ['handling', 'strict']; a quoted value is unquoted. */
function preference(text: string): [string, string] {
  const [nameAndValue] = text.split(';');
  const [name, value = ''] = nameAndValue.split('=');
  return [name.trim().toLowerCase(), value.trim().replace(/^"(.*)"$/, '$1').toLowerCase()];
}

/**
 * The `handling` the request's Prefer header(s) ask for, if any. As RFC 7240 says, only the
 * first `handling` counts, and a value it does not define is ignored.
 */
export function requestedHandling(req: Request): Handling | undefined {
  const header = req.headers.prefer;
  if (header === undefined) return undefined;
  const first = [header].flat().join(',').split(',').map(preference).find(([name]) => name === 'handling');
  return first && HANDLINGS.includes(first[1]) ? (first[1] as Handling) : undefined;
}

/** The handling this request's body is read with; when the client asked for one, the answer says it was applied. */
export function applyHandling(req: Request, res: Response): Handling {
  const requested = requestedHandling(req);
  if (requested) res.setHeader('Preference-Applied', `handling=${requested}`);
  return requested ?? 'lenient';
}
