import jsonld, { type ContextDefinition, type JsonLdDocument, type Options } from 'jsonld';
import { AppError } from '../problems/app-error.js';
import { violation } from '../problems/violation.js';
import { contextResolver, isolatedContextResolver } from './context-cache.js';
import { documentLoaderFor, ownContext } from './document-loader.js';

export type JsonLdObject = Record<string, unknown>;

/** How long a request waits for jsonld.js to read its body. */
export const TIME_BUDGET_MS = 1000;

interface JsonLdEvent {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

type EventHandler = (args: { event: JsonLdEvent; next: () => void }) => void;

// In jsonld 9 but not in its type definitions, like the `eventHandler` option.
const { safeEventHandler } = jsonld as unknown as { safeEventHandler: EventHandler };

function commonOptions(base: string, onRefusal?: (refused: AppError) => void) {
  return { base, documentLoader: documentLoaderFor(new URL(base).origin, onRefusal), contextResolver: contextResolver() };
}

/** The expanded form of one of our documents, relative IRIs resolved against `base` (the request URL). */
export async function expandDocument(document: JsonLdObject, base: string): Promise<JsonLdObject[]> {
  return (await jsonld.expand(document as JsonLdDocument, commonOptions(base))) as JsonLdObject[];
}

/** The flattened form, compacted again with the document's own context so that its keys stay our terms. */
export async function flattenDocument(document: JsonLdObject, base: string): Promise<JsonLdObject> {
  const context = document['@context'] as ContextDefinition;
  // Relative to the request URL, @ids would read as "1" or "members": keep them absolute.
  const options = { ...commonOptions(base), compactToRelative: false } as Options.Flatten;
  return (await jsonld.flatten(document as JsonLdDocument, context, options)) as JsonLdObject;
}

/** Properties jsonld.js drops are collected, to name every one; any other unsafe drop fails at once. */
function collectDroppedInto(dropped: string[]): EventHandler {
  return ({ event, next }) => {
    if (event.code === 'invalid property') dropped.push(String(event.details.property));
    else next();
  };
}

/**
 * jsonld.js only yields between its own awaits, and with an in-memory loader those are all
 * microtasks: this timer bounds waiting, it cannot cut a computation short. The document
 * limits, checked before the call, are what keep the computation small.
 */
async function withinBudget<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('document-too-complex', `Reading the body as JSON-LD took longer than ${TIME_BUDGET_MS} ms.`)), TIME_BUDGET_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** jsonld.js's errors as our problems; ours (the budget) pass as they are. */
function asProblem(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const { name, message, details } = error as { name?: string; message: string; details?: { event?: JsonLdEvent } };
  if (name === 'jsonld.ValidationError' && details?.event) {
    const { code, message: eventMessage } = details.event;
    return new AppError('validation-failed', `Part of the body would be lost in JSON-LD processing: ${eventMessage}`, {
      violations: [violation('unsafe_json_ld', '', { event: eventMessage }, { event: code })],
    });
  }
  if (name?.startsWith('jsonld.')) return new AppError('malformed-request', `The body is not JSON-LD this API can read: ${message}`);
  return error;
}

export interface CompactedInput {
  document: JsonLdObject;
  /** Keys jsonld.js could not map to any IRI. */
  dropped: string[];
}

/**
 * A request body in any JSON-LD form, compacted against our context `name`. A context the
 * loader refused is the answer wherever it appeared (top level, @import, scoped on a property
 * or a type, nested), whatever error jsonld.js made of it.
 */
export async function compactInput(body: unknown, name: string, base: string): Promise<CompactedInput> {
  const dropped: string[] = [];
  let refused: AppError | undefined;
  // Bodies share no context cache with other requests (see isolatedContextResolver).
  const options = { ...commonOptions(base, (refusal) => (refused ??= refusal)), contextResolver: isolatedContextResolver(), eventHandler: [collectDroppedInto(dropped), safeEventHandler] } as Options.Compact;
  let document: JsonLdObject;
  try {
    document = (await withinBudget(jsonld.compact(body as JsonLdDocument, ownContext(name) as ContextDefinition, options))) as JsonLdObject;
  } catch (error) {
    throw refused ?? asProblem(error);
  }
  // Should jsonld.js ever carry on past a refused context, the body is refused all the same.
  if (refused) throw refused;
  return { document, dropped };
}
