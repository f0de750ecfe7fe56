import { checkDocumentLimits } from '../linked-data/document-limits.js';
import { compactInput } from '../linked-data/jsonld-processor.js';
import type { Violation } from '../problems/app-error.js';
import type { ResourceDescription } from '../resources/description.js';
import type { Handling } from './handling.js';
import { invalid, violation } from '../problems/violation.js';

/** Keywords our compacted form may carry; any other one needs jsonld.js to be understood. */
const COMPACTED_KEYWORDS = new Set(['@context', '@id', '@type']);

/**
 * Whether a body needs jsonld.js: a top-level array (expanded form), @graph (flattened), a
 * context other than ours, IRIs as keys, or another keyword. Our compacted form, with or
 * without @context, is read as is.
 */
export function needsNormalization(body: unknown, ownContexts: string[]): boolean {
  if (Array.isArray(body)) return true;
  if (typeof body !== 'object' || body === null) return false;
  const context = (body as Record<string, unknown>)['@context'];
  if (context !== undefined && !(typeof context === 'string' && ownContexts.includes(context))) return true;
  return Object.keys(body).some((key) => key.includes(':') || (key.startsWith('@') && !COMPACTED_KEYWORDS.has(key)));
}

const unmapped = (property: string): Violation => violation('unmapped_property', property, {});

function leftoverKeyword(resource: ResourceDescription, key: string, value: unknown): Violation {
  if (key === '@graph') return violation('several_nodes', key, { count: Array.isArray(value) ? value.length : 1, resource: resource.name });
  return violation('unsupported_keyword', key, { keyword: key, resource: resource.name });
}

/**
 * The body's one node in our terms, from any JSON-LD form (relative IRIs read against `base`, the request's URL): compacted against the resource's own
 * context, @context and @id dropped, @type kept for the usual check. With strict handling nothing
 * is lost silently: a key that maps to no IRI, or one left over as an IRI, is a violation (the
 * latter by the schema). With lenient handling (see handling.ts) both are ignored, as a
 * JSON-LD processor drops the first and the second is no property the client may write.
 */
export async function normalizeInput(base: string, resource: ResourceDescription, body: unknown, handling: Handling): Promise<Record<string, unknown>> {
  checkDocumentLimits(body);
  const { document, dropped } = await compactInput(body, resource.name, base);
  if (dropped.length && handling === 'strict') throw invalid(dropped.map(unmapped));
  const { '@context': _context, '@id': _id, ...node } = document;
  const keywords = Object.keys(node).filter((key) => key.startsWith('@') && key !== '@type');
  if (keywords.length) throw invalid(keywords.map((key) => leftoverKeyword(resource, key, node[key])));
  return node;
}
