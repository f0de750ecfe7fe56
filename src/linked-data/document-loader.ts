import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { ContextDefinition } from 'jsonld';
import { CONTEXTS_DIR } from '../project-root.js';
import { AppError } from '../problems/app-error.js';
import { violation } from '../problems/violation.js';
import { contextPath } from '../resources/description.js';

export type ContextDocument = { '@context': ContextDefinition };

export interface LoadedDocument {
  contextUrl: undefined;
  documentUrl: string;
  document: ContextDocument;
}

/** Our contexts, parsed once at start from the committed contexts/ folder. */
const OWN_CONTEXTS: ReadonlyMap<string, ContextDocument> = new Map(
  readdirSync(CONTEXTS_DIR)
    .filter((file) => file.endsWith('.jsonld'))
    .map((file) => [path.basename(file, '.jsonld'), JSON.parse(readFileSync(path.join(CONTEXTS_DIR, file), 'utf8'))]),
);

const CONTEXT_PREFIX = contextPath('');

export function ownContexts(): ContextDocument[] {
  return [...OWN_CONTEXTS.values()];
}

export function ownContext(name: string): ContextDocument {
  const context = OWN_CONTEXTS.get(name);
  if (!context) throw new Error(`No context ${name} in ${CONTEXTS_DIR}`);
  return context;
}

function ownContextAt(url: string, origin: string): ContextDocument | undefined {
  const local = url.startsWith(`${origin}/`) ? url.slice(origin.length) : url;
  return local.startsWith(CONTEXT_PREFIX) ? OWN_CONTEXTS.get(local.slice(CONTEXT_PREFIX.length)) : undefined;
}

function refusal(url: string): AppError {
  return new AppError('unsupported-context', `The @context ${url} is not one of this API's own contexts, and remote contexts are never fetched.`, {
    violations: [violation('unsupported_context', '@context', { context: url, own: `${CONTEXT_PREFIX}<Name>` })],
  });
}

/**
 * The only document loader jsonld.js is given, for input and output alike. It never goes
 * to the network: our own contexts (by path or by absolute URL on `origin`) come from memory,
 * anything else is refused, so a body cannot make the server send a request anywhere.
 * `onRefusal` hears of each refusal as it happens: jsonld.js does not always keep the error
 * a loader throws (a scoped context it validates is rethrown as "invalid scoped context"
 * without a cause), so the caller learns of it here rather than from jsonld.js's errors.
 */
export function documentLoaderFor(origin: string, onRefusal: (refused: AppError) => void = () => undefined) {
  return async (url: string): Promise<LoadedDocument> => {
    const document = ownContextAt(url, origin);
    if (document) return { contextUrl: undefined, documentUrl: url, document };
    const refused = refusal(url);
    onRefusal(refused);
    throw refused;
  };
}
