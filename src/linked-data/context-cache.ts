import { createRequire } from 'node:module';
import { ownContexts } from './document-loader.js';

/** What jsonld.js's ContextResolver keeps across operations: a map from a context's key to its resolutions. */
interface SharedCache {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

// jsonld.js reads a `contextResolver` option (its own class, marked for internal use) and
// exports neither it nor types for it; test/vocabulary.test.ts fails if that ever changes.
const ContextResolver = createRequire(import.meta.url)('jsonld/lib/ContextResolver.js') as new (options: { sharedCache: SharedCache }) => unknown;

/** Our contexts as jsonld.js keys an inline context (its JSON), whole or as the value of `@context`. */
const OWN_KEYS = new Set(ownContexts().flatMap((document) => [JSON.stringify(document), JSON.stringify(document['@context'])]));

/**
 * jsonld.js caches a processed inline context across operations by its text alone, but
 * resolves a relative `@vocab` in it against the base of the first operation: through a
 * second host name, a body's `{"@vocab": "/v#"}` then expanded with the first host's IRIs,
 * and the 422 named that host. So only our own contexts, which hold no relative IRI (an
 * absolute @vocab), are shared; any other context is processed for each request again.
 */
const SHARED: SharedCache = (() => {
  const entries = new Map<string, unknown>();
  return {
    get: (key) => entries.get(key),
    set: (key, value) => void (OWN_KEYS.has(key) && entries.set(key, value)),
  };
})();

/** A resolver for one jsonld.js operation: its own per-operation cache, our contexts shared. */
export function contextResolver(): unknown {
  return new ContextResolver({ sharedCache: SHARED });
}

/**
 * A resolver that shares nothing, for request bodies: an `@import` of one of our contexts
 * stores what the body merged into it on the shared resolution (jsonld.js's setProcessed), in a
 * form the next body's event replay fails on (a TypeError, a 500), so one client's body would
 * change how the next one's is read.
 */
export function isolatedContextResolver(): unknown {
  return new ContextResolver({ sharedCache: new Map() });
}
