import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root.js';

/** Where `npm run examples` writes one real answer per operation, by operationId. */
export const EXAMPLES_DIR = 'schemas/examples';

/** The origin recorded answers are written with (the README's). */
export const EXAMPLE_ORIGIN = 'http://localhost:3000';

type Json = Record<string, unknown>;

/** The recorded JSON-LD answer of an operation, if one was recorded. */
export function recordedExample(operationId: string): Json | undefined {
  const file = path.join(PROJECT_ROOT, EXAMPLES_DIR, `${operationId}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Json) : undefined;
}

/** The same answer as application/json sends it: the keys without @context (which becomes a Link header). */
export function asPlainJson(example: Json): Json {
  const { '@context': _context, ...rest } = example;
  return rest;
}
