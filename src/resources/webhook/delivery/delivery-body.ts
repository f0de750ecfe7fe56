import type { JsonLdNode } from '../../../http/representation.js';
import { withContext } from '../../../http/representation.js';
import { eventDescription } from '../../event/event.description.js';
import { eventNode } from '../../event/event.http.js';
import type { EventRow } from '../../event/event.entity.js';

const absoluteIn = (origin: string | undefined, value: unknown) => (origin && typeof value === 'string' && value.startsWith('/') ? `${origin}${value}` : value);

/**
 * What a delivery POSTs: the event exactly as GET /api/events/{id} shows it, context included.
 * A receiver has no request URL to resolve IRIs against, so with PUBLIC_ORIGIN set the context,
 * the event's, the organization's and the changed resource's IRIs are absolute.
 */
export function deliveryBody(event: EventRow, publicOrigin?: string): JsonLdNode {
  const node = withContext(eventDescription, eventNode(event));
  if (!publicOrigin) return node;
  const data = node.data as Record<string, unknown> | undefined;
  return {
    ...node,
    '@context': absoluteIn(publicOrigin, node['@context']),
    '@id': absoluteIn(publicOrigin, node['@id']),
    organization: absoluteIn(publicOrigin, node.organization),
    ...(data && { data: { ...data, '@id': absoluteIn(publicOrigin, data['@id']) } }),
  } as JsonLdNode;
}
