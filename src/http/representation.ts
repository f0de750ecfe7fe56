import type { Request, Response } from 'express';
import { expandDocument, flattenDocument } from '../linked-data/jsonld-processor.js';
import { contextPath, type ResourceDescription } from '../resources/description.js';
import { PROFILES, type Profile } from './accept-profile.js';
import { absolute } from './base-url.js';
import { etag, notModified, stateTagOfJson } from './etag.js';
import { errorHandler } from './error-handler.js';
import { memberAssertion } from './pagination.js';

import type { JsonLdNode } from '../linked-data/links.js';
import type { KeptValues } from '../persistence/database.js';

export type { JsonLdNode };

/**
 * A node already compacted against the resource's context: its properties in the order the
 * description lists them, absent values left out (JSON-LD would drop a null anyway). It fills no
 * link: representations are built by resourceNode (src/linked-data/links.ts), which fills every
 * link from the description; this stays for a node whose @id and values are all given.
 */
export function toNode(resource: ResourceDescription, values: object, id: string): JsonLdNode {
  const node: JsonLdNode = { '@id': id, '@type': resource.name };
  for (const key of Object.keys(resource.properties)) {
    const value = (values as Record<string, unknown>)[key];
    if (value !== null && value !== undefined) node[key] = value;
  }
  return node;
}

/**
 * The node with the context of its resource. A collection is sent in its members' context, so
 * this is where the class of its members is known: it says so (memberAssertion). A collection
 * of a class embedded in another's context (a webhook endpoint's deliveries) names that class.
 */
export function withContext(resource: ResourceDescription, node: JsonLdNode, members: ResourceDescription = resource): JsonLdNode {
  const assertion = node['@type'] === 'hydra:Collection' ? { 'hydra:memberAssertion': memberAssertion(members) } : {};
  return { '@context': contextPath(resource.name), ...node, ...assertion };
}

const CONTEXT_REL = 'http://www.w3.org/ns/json-ld#context';

/** `{"@context": …, …node}` without serializing the node again. */
function withContextJson(context: unknown, nodeJson: string): string {
  const rest = nodeJson === '{}' ? '}' : `,${nodeJson.slice(1)}`;
  return `{"@context":${JSON.stringify(context)}${rest}`;
}

async function reshape(profile: Profile, document: JsonLdNode, base: string): Promise<unknown> {
  return profile === 'expanded' ? expandDocument(document, base) : flattenDocument(document, base);
}

/** Callers do not await sendRepresentation, so a failure here goes to the error handler directly. */
function sendProfiled(req: Request, res: Response, profile: Profile, document: JsonLdNode): void {
  reshape(profile, document, absolute(req, req.originalUrl)).then(
    (body) => res.type(`application/ld+json; profile="${PROFILES[profile]}"`).send(JSON.stringify(body)),
    (error: unknown) => errorHandler(error, req, res, () => res.end()),
  );
}

/** A document serialized once: the ETag's state is a hash of the node, and both formats are built from it. */
export interface Serialized {
  context: unknown;
  nodeJson: string;
  state: string;
}

export function serialize(document: JsonLdNode): Serialized {
  const { '@context': context, ...node } = document;
  const nodeJson = JSON.stringify(node);
  return { context, nodeJson, state: stateTagOfJson(nodeJson) };
}

/**
 * JSON-LD as built, or in the expanded or flattened profile the client asked for (only those
 * run jsonld.js); plain JSON is the same keys without @context, which moves to a Link header.
 */
export function sendRepresentation(req: Request, res: Response, status: number, document: JsonLdNode): void {
  sendSerialized(req, res, status, serialize(document), document);
}

/** `document` is what a profile is built from: sendKeptRepresentation, which keeps none, never sends a profile. */
function sendSerialized(req: Request, res: Response, status: number, { context, nodeJson, state }: Serialized, document?: JsonLdNode): void {
  res.status(status);
  const tag = etag(state, res.locals.format === 'json' ? 'json' : res.locals.profile);
  res.setHeader('ETag', tag);
  if (status === 200 && notModified(req, tag)) {
    res.status(304).end();
    return;
  }
  if (res.locals.format === 'json') {
    if (typeof context === 'string') res.append('Link', `<${absolute(req, context)}>; rel="${CONTEXT_REL}"; type="application/ld+json"`);
    sendBody(res, 'application/json', nodeJson);
    return;
  }
  if (res.locals.profile && document) return sendProfiled(req, res, res.locals.profile, document);
  sendBody(res, 'application/ld+json', context === undefined ? nodeJson : withContextJson(context, nodeJson));
}

/**
 * A 200 of a document built only from reads (`build`), kept where the database keeps its reads
 * until the next commit (Sql.keptValues, on either engine): requests in between are answered from the
 * serialized document under `key`, which must name everything besides those reads that the
 * document depends on (whose view it is). `kept` is taken before those reads, so what is kept is
 * never older than the reads beside it. A profile (expanded, flattened) is built each time.
 *
 * Why: in a profile of GET one organization, building and serializing the representation (its
 * members embedded, its links, the hash of its ETag) was about 15 % of the CPU time; a page of
 * 30 organizations, answered from the reads kept, was most of its time building its 30 nodes.
 */
export async function sendKeptRepresentation(req: Request, res: Response, kept: KeptValues | undefined, key: string, build: () => Promise<JsonLdNode>): Promise<void> {
  if (!kept || res.locals.profile) return sendRepresentation(req, res, 200, await build());
  let serialized = kept.get(key) as Serialized | undefined;
  if (!serialized) {
    serialized = serialize(await build());
    kept.set(key, serialized, 2 * serialized.nodeJson.length); // UTF-16
  }
  sendSerialized(req, res, 200, serialized);
}

/**
 * What res.send would write for this body, without what it checks first (its ETag and
 * freshness are settled above, the type is known): in a profile of GET one organization,
 * res.send took 27% inclusive of which its res.end 24.5%, so about 2.5% went to those checks.
 * A HEAD request gets the headers alone, Node leaving the body out.
 */
function sendBody(res: Response, type: string, body: string): void {
  res.setHeader('Content-Type', `${type}; charset=utf-8`);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** 201 with the new resource and its Location. */
export function sendCreated(req: Request, res: Response, resource: ResourceDescription, node: JsonLdNode): void {
  res.location(absolute(req, node['@id'] as string));
  sendRepresentation(req, res, 201, withContext(resource, node));
}
