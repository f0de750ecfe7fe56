import jsonld from 'jsonld';
import type { Api } from './harness.js';

/** Loads contexts from our own server and nothing else. */
function documentLoaderFor(api: Api) {
  return async (url: string) => {
    if (!url.startsWith(api.base + '/api/contexts/')) throw new Error(`refusing to load ${url}`);
    const res = await api.http().get(url.slice(api.base.length));
    return { contextUrl: undefined, documentUrl: url, document: JSON.parse(res.text) };
  };
}

/** Expands a response (or a body to send) with jsonld.js, relative IRIs against `base`. */
export async function expand(api: Api, document: object, base: string) {
  // `safe` (fail on anything that would be dropped) is in jsonld 9 but not in its type definitions.
  const options = { base: api.base + base, documentLoader: documentLoaderFor(api), safe: true } as unknown as jsonld.Options.Expand;
  return (await jsonld.expand(document as jsonld.JsonLdDocument, options)) as unknown as Record<string, any>[];
}

/** The flattened form of a document, compacted with `context` (a context URL path), as a client could send it. */
export async function flatten(api: Api, document: object, base: string, context: string) {
  const options = { base: api.base + base, documentLoader: documentLoaderFor(api), safe: true } as unknown as jsonld.Options.Flatten;
  return (await jsonld.flatten(document as jsonld.JsonLdDocument, context as unknown as jsonld.ContextDefinition, options)) as unknown as Record<string, any>;
}
