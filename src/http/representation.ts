import type { Request, Response } from 'express';
import { API_PREFIX, contextPath, type ResourceDescription } from '../resources/description.js';
import { absolute } from './base-url.js';

export type JsonLdNode = Record<string, unknown>;

export function itemPath(resource: ResourceDescription, id: string): string {
  return `${API_PREFIX}${resource.collectionPath}/${id}`;
}

/**
 * A node already compacted against the resource's context: its properties in the order the
 * description lists them, absent values left out (JSON-LD would drop a null anyway).
 */
export function toNode(resource: ResourceDescription, values: object, id: string): JsonLdNode {
  const node: JsonLdNode = { '@id': id, '@type': resource.name };
  for (const key of Object.keys(resource.properties)) {
    const value = (values as Record<string, unknown>)[key];
    if (value !== null && value !== undefined) node[key] = value;
  }
  return node;
}

export function withContext(resource: ResourceDescription, node: JsonLdNode): JsonLdNode {
  return { '@context': contextPath(resource.name), ...node };
}

const CONTEXT_REL = 'http://www.w3.org/ns/json-ld#context';

/** JSON-LD as built; plain JSON is the same keys without @context, which moves to a Link header. */
export function sendRepresentation(req: Request, res: Response, status: number, document: JsonLdNode): void {
  res.status(status);
  if (res.locals.format === 'json') {
    const { '@context': context, ...rest } = document;
    if (typeof context === 'string') res.append('Link', `<${absolute(req, context)}>; rel="${CONTEXT_REL}"; type="application/ld+json"`);
    res.type('application/json').send(JSON.stringify(rest));
    return;
  }
  res.type('application/ld+json').send(JSON.stringify(document));
}
