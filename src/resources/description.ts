/**
 * The one description of each resource. Contexts, JSON Schemas, the Hydra documentation,
 * routing (including 405 and Allow) and serialization all read these objects, so a field
 * is named, typed and documented in exactly one place.
 */

import type { Scope } from './partner/scopes.js';

export type JsonSchema = Record<string, unknown>;

export interface PropertyDescription {
  /** Compact IRI (`schema:name`); absent means our own vocabulary, `<docs>#<key>`. */
  iri?: string;
  /**
   * What the value is: an XSD datatype, a JSON literal, a class name, or `rdfs:Resource` (any IRI).
   * The documentation says it per class (SHACL) and, for our own terms, as `rdfs:range`.
   */
  range: string;
  description: string;
  /** JSON Schema of the value as clients send and receive it. */
  schema: JsonSchema;
  /** JSON Schema of the value as clients send it, where that differs (a reference sent, an object returned). */
  input?: JsonSchema;
  /** Clients may send it on create (and on update unless `createOnly`). */
  writable?: boolean;
  createOnly?: boolean;
  /** Must be sent on create. */
  required?: boolean;
  /** Optional on create but always has a value (generated): a merge patch may change it, not remove it. */
  notNull?: boolean;
  /** Leading and trailing white space is removed before validation. */
  trim?: boolean;
  /**
   * When a full representation leaves it out (a state, a permission). Without it, the
   * property is in every answer, unless it is writable, optional and without a default.
   */
  absentWhen?: string;
  /** Kept when a list item shows nothing but its identifiers (ip_restricted). */
  identifier?: boolean;
  /** The value is an IRI reference (JSON-LD `@type: @id`). */
  link?: boolean;
  /** A link to a collection of this class: the link carries that class's collection operations. */
  collectionOf?: string;
  /** A link to a collection of this class's items with operations of its own (the caller's pending invitations). */
  holds?: string;
  /** A link to a resource of this class: the link carries that class's item operations. */
  itemOf?: string;
  /**
   * A link to a resource below this one's item, at `<item>/<property>` (an invitation's
   * `accept`, the caller's pending invitations): what may be done with its target.
   */
  operations?: Partial<Record<HttpMethod, OperationDescription>>;
  /**
   * A link shown only while the representation's values are these (an invitation's `accept`
   * while its `status` is `pending`); `absentWhen` says the same in words for the documentation.
   */
  shownWhile?: Record<string, unknown>;
  /** Changing it needs this permission (or all of these) instead of the resource's usual update permission. */
  changePermission?: string | string[];
  /** Extra JSON-LD term definition entries (`@container`, `@type: @json` ...). */
  jsonld?: Record<string, unknown>;
}

/** One variable of a collection's search template (`hydra:search`). */
export interface SearchVariable {
  /** The resource property it filters or sorts on. */
  property: string;
  description: string;
  /** What a value must be: `enum`, a `pattern`, or a string with `minLength`/`maxLength`. */
  schema: JsonSchema;
  /** A sort direction (see orderVariable): read in lower case, whatever case it was sent in. */
  order?: boolean;
}

/** Sort directions, as a search variable's values are read. */
export const ORDER_DIRECTIONS = ['asc', 'desc'] as const;

/** `asc` -> `[aA][sS][cC]`: the same letters in any case, for a JSON Schema `pattern`. */
function anyCase(word: string): string {
  return [...word].map((c) => `[${c}${c.toUpperCase()}]`).join('');
}

/**
 * An `order[<property>]` variable. Its directions are accepted in any case (`ASC`, `Desc`),
 * as API Platform accepts them: its Admin (react-admin) sends them in upper case. The schema
 * says so with a pattern, so the OpenAPI document and the query check read the same rule.
 */
export function orderVariable(property: string, description: string): SearchVariable {
  const pattern = `^(?:${ORDER_DIRECTIONS.map(anyCase).join('|')})$`;
  return { property, description: `${description} (${ORDER_DIRECTIONS.join(' or ')}, in any case).`, schema: { type: 'string', pattern, maxLength: 4 }, order: true };
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface OperationDescription {
  title: string;
  /** Class name the request body must describe. */
  expects?: string;
  /** Class name returned, `hydra:Collection`, or `owl:Nothing`. */
  returns: string;
  status: number;
  /**
   * The success status and those of the operation's own rules (403 for a role, 404, 409,
   * 410, a 422 beyond the schema). What the request chain answers (authentication, rate
   * limit, negotiation, body, idempotency, preconditions, database) is added from
   * src/http/contract: see operationContract.
   */
  possibleStatus: number[];
  /**
   * A collection that pages by `after` / `before` cursors in its default order (hydra:next and
   * hydra:previous then use them); with a filter or another order, by `page` only.
   */
  cursors?: boolean;
  /** Anyone may call it, without a token (the entrypoint). */
  public?: boolean;
  /** Media types accepted for the body; defaults to JSON and JSON-LD. */
  accepts?: string[];
  /** The token scope the operation needs; absent for operations any valid token may call. */
  scope?: Scope;
}

export interface ResourceDescription {
  /** Class name, context name (`/api/contexts/<name>`) and compacted `@type`. */
  name: string;
  /** Class IRI when it is not our own vocabulary's `<name>`. */
  iri?: string;
  /** The class it specializes (`rdfs:subClassOf` in the documentation): a 422 is a hydra:Error. */
  subClassOf?: string;
  title: string;
  description: string;
  /**
   * Collection path under `/api`, with `:param` segments for the resources it is nested in
   * (`/organizations/:organizationId/members`); items live at `<collection>/:id`.
   */
  collectionPath?: string;
  /** Path under `/api` of a resource that has no collection (the entrypoint, the caller). */
  path?: string;
  /**
   * For a nested collection: the link property its parent's representation carries to it
   * (`labels` on an organization), declared here so that a new nested resource stays in its
   * own folder; the registry adds it to the parent's description (see linkParents).
   */
  linkedFrom?: { property: string; description: string };
  properties: Record<string, PropertyDescription>;
  /** The few properties a list of this class shows (the explorer's columns), in order. */
  summary?: string[];
  /** Query variables of the collection, by name (`name`, `order[name]`): its `hydra:search` template. */
  search?: Record<string, SearchVariable>;
  /** Classes whose terms appear inside this resource's representation. */
  embeds?: ResourceDescription[];
  /** Only ever inside the representation of a class that embeds it, whose context carries its terms: no context of its own. */
  embeddedOnly?: true;
  operations: {
    collection?: Partial<Record<HttpMethod, OperationDescription>>;
    item?: Partial<Record<HttpMethod, OperationDescription>>;
  };
}

export const PREFIXES = {
  schema: 'https://schema.org/',
  hydra: 'http://www.w3.org/ns/hydra/core#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  owl: 'http://www.w3.org/2002/07/owl#',
} as const;

/**
 * The Linked Orgs vocabulary, the namespace of every term that is not schema.org's or Hydra's.
 * Absolute and the same for every deployment and host name, so that data from two servers
 * merges and every JSON-LD processor (rdflib, JSON-LD 1.0 ones) reads the same IRIs; each
 * server describes its terms in its API documentation (README, "The vocabulary").
 */
export const VOCABULARY_IRI = 'https://w3id.org/linked-orgs/vocab';
export const VOCABULARY = `${VOCABULARY_IRI}#`;

export const API_PREFIX = '/api';

export function contextPath(name: string): string {
  return `${API_PREFIX}/contexts/${name}`;
}

/**
 * The collection a nested collection hangs below, and the path parameter naming its item:
 * `/organizations/:organizationId/members` -> `/organizations` and `organizationId`.
 */
export function parentCollection(resource: ResourceDescription): { path: string; param: string } | undefined {
  const match = /^(.*)\/:(\w+)\/[^/:]+$/.exec(resource.collectionPath ?? '');
  return match ? { path: match[1], param: match[2] } : undefined;
}

/** The item path pattern: `<collection>/:id`, or the path of a resource without a collection. */
export function itemPattern(resource: ResourceDescription): string {
  if (resource.collectionPath) return `${resource.collectionPath}/:id`;
  if (resource.path === undefined) throw new Error(`${resource.name} has neither a collection nor a path`);
  return resource.path;
}

export type Operations = Partial<Record<HttpMethod, OperationDescription>>;

export interface Route {
  /** Express-style pattern under `/api`. */
  path: string;
  operations: Operations;
  /** `collection`, `item`, or the name of the link property whose target this is. */
  target: string;
}

/**
 * Every path a resource answers on, with its operations: the collection, the action links
 * (`<item>/<property>`) and the item. Routing and the OpenAPI document both walk this list.
 */
export function routesOf(resource: ResourceDescription): Route[] {
  const routes: Route[] = [];
  if (!resource.collectionPath && resource.path === undefined) return routes; // only ever embedded (errors, violations)
  if (resource.collectionPath) routes.push({ path: resource.collectionPath, operations: resource.operations.collection ?? {}, target: 'collection' });
  const item = itemPattern(resource);
  for (const [key, property] of Object.entries(resource.properties)) {
    if (property.operations) routes.push({ path: `${item}/${key}`, operations: property.operations, target: key });
  }
  routes.push({ path: item, operations: resource.operations.item ?? {}, target: 'item' });
  return routes;
}

/** Fills a path pattern's `:param` segments: `/organizations/:organizationId/members` -> `/api/organizations/42/members`. */
export function fillPath(pattern: string, params: Record<string, string>): string {
  return API_PREFIX + pattern.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`No value for :${name} in ${pattern}`);
    return value;
  });
}

export function writableProperties(resource: ResourceDescription, mode: 'create' | 'update'): string[] {
  return Object.entries(resource.properties)
    .filter(([, p]) => p.writable && (mode === 'create' || !p.createOnly))
    .map(([key]) => key);
}

/** Whether every full representation of the resource carries the property (see absentWhen). */
export function alwaysSent(property: PropertyDescription): boolean {
  if (property.absentWhen) return false;
  return !property.writable || Boolean(property.required || property.notNull) || property.schema.default !== undefined;
}

/** What an optional writable property holds when not sent, or when a merge patch removes it. */
export function defaultValues(resource: ResourceDescription): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, p] of Object.entries(resource.properties)) {
    if (p.writable && !p.required) values[key] = structuredClone(p.schema.default ?? null);
  }
  return values;
}
