import jsonld from 'jsonld';
import type { Api } from './harness.js';

/** Expands a response with jsonld.js, loading contexts from our own server and nothing else. */
export async function expand(api: Api, document: object, base: string) {
  const documentLoader = async (url: string) => {
    if (!url.startsWith(api.base + '/api/contexts/')) throw new Error(`refusing to load ${url}`);
    const res = await api.http().get(url.slice(api.base.length));
    return { contextUrl: undefined, documentUrl: url, document: JSON.parse(res.text) };
  };
  // `safe` (fail on anything that would be dropped) is in jsonld 9 but not in its type definitions.
  const options = { base: api.base + base, documentLoader, safe: true } as unknown as jsonld.Options.Expand;
  return (await jsonld.expand(document as jsonld.JsonLdDocument, options)) as unknown as Record<string, any>[];
}
