/**
 * Things to act on, made through the HTTP API from the resource descriptions alone. For any resource of the registry:
 * a body its create (or update) schema accepts, which is the schema's own `examples[0]` with the
 * partners it names made fresh; and a real item, made with that body below a parent made the
 * same way. Resources without a POST take the first item their collection shows.
 *
 * `npm run examples` records the operations its scripted walk does not name from such a world,
 * and the tests that walk every route (refusals, request examples, hostile input) make their
 * fixtures with it, so that a new resource brings its examples and fixtures by being described:
 * its schema's example is what Swagger UI sends, and the tests check that it is valid.
 */
import type { Database } from '../persistence/database.js';
import { fillPath, parentCollection, routesOf, type PropertyDescription, type ResourceDescription, type Route } from '../resources/description.js';
import { createPartner } from '../resources/partner/partner-use-cases.js';
import { resources } from '../resources/registry.js';
import { buildInputSchema } from './json-schema.js';

type Json = Record<string, any>;
export type Params = Record<string, string>;

/** What the world needs of a running server: where it answers and its database (partners are made the way the CLI makes them). */
export interface WorldServer {
  base: string;
  db: Database;
}

const byName = new Map(resources.map((r) => [r.name, r]));

export function resourceNamed(name: string): ResourceDescription {
  const resource = byName.get(name);
  if (!resource) throw new Error(`No resource ${name} in the registry`);
  return resource;
}

/** A property whose value names a partner that must exist: a reference to a partner, or an email that adds one. */
export function namesPartner(property: PropertyDescription): boolean {
  return property.range === 'Partner' || property.schema.format === 'email';
}

/** The example body of a resource's input schema, as a client sends it (no `@context` or `@type`). */
export function exampleBody(resource: ResourceDescription, mode: 'create' | 'update' = 'create'): Json {
  const [example] = buildInputSchema(resource, mode).examples as Json[];
  const { '@context': _context, '@type': _type, ...body } = structuredClone(example);
  return body;
}

/**
 * The resource a nested collection hangs below, and the path parameter naming its item:
 * `/organizations/:organizationId/members` hangs below the item of `/organizations`.
 */
export function parentOf(resource: ResourceDescription): { resource: ResourceDescription; param: string } | undefined {
  const above = parentCollection(resource);
  if (!above) return undefined;
  const parent = resources.find((r) => r.collectionPath === above.path);
  if (!parent) throw new Error(`${resource.name}'s collection ${resource.collectionPath} hangs below no described collection`);
  return { resource: parent, param: above.param };
}

const idOf = (iri: string) => iri.split('/').pop()!;

/** An answer of the API: its status, and its body read as JSON (empty when it has none). */
export interface WorldAnswer {
  status: number;
  body: Json;
  text: string;
}

/** Partners made by every world of this process, so that two worlds on one database never pick the same email. */
let partners = 0;

export class ResourceWorld {
  private readonly items = new Map<string, Promise<Params>>();

  /** Every item is made (and, for resources without a POST, looked for) with this caller's token. */
  constructor(
    private readonly server: WorldServer,
    private readonly auth: Record<string, string>,
    private readonly tag = 'world',
  ) {}

  /** Calls the API with the world's token. */
  async call(method: string, path: string, body?: Json, auth = this.auth): Promise<WorldAnswer> {
    const contentType = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
    const res = await fetch(new URL(path, this.server.base), { method, headers: { ...auth, Accept: 'application/ld+json', ...(body ? { 'Content-Type': contentType } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    return { status: res.status, text, body: text ? (JSON.parse(text) as Json) : {} };
  }

  /** A partner no one has added, invited or installed yet. */
  async freshPartnerEmail(): Promise<string> {
    const n = ++partners;
    return (await createPartner(this.server.db, { email: `${this.tag}.${n}@world.example`, name: `World partner ${n}` })).email;
  }

  /** A body the resource's schema accepts that conflicts with nothing: the example, with each partner it names made fresh. */
  async body(resource: ResourceDescription, mode: 'create' | 'update' = 'create'): Promise<Json> {
    const body = exampleBody(resource, mode);
    for (const key of Object.keys(body)) if (namesPartner(resource.properties[key])) body[key] = await this.freshPartnerEmail();
    return body;
  }

  /** Makes sure the partners a body names exist, for a body sent as it is (Swagger UI's). */
  async ensurePartnersOf(resource: ResourceDescription, body: Json): Promise<void> {
    for (const [key, value] of Object.entries(body)) {
      if (!resource.properties[key] || !namesPartner(resource.properties[key]) || typeof value !== 'string') continue;
      await createPartner(this.server.db, { email: value, name: value }).catch((error: Error) => {
        if (!/already|exists|taken/i.test(error.message)) throw error;
      });
    }
  }

  /** The path parameters of a new item of the resource, made with a POST of its example below new parents. */
  async create(resource: ResourceDescription, options: { body?: Json; parents?: Params } = {}): Promise<{ node: Json; params: Params }> {
    if (!resource.operations.collection?.POST) throw new Error(`${resource.name} cannot be created: its collection has no POST`);
    const params = options.parents ?? (await this.parentParams(resource, true));
    const path = fillPath(resource.collectionPath!, params);
    const res = await this.call('POST', path, options.body ?? (await this.body(resource)));
    if (res.status !== 201) throw new Error(`Making a ${resource.name}: POST ${path} answered ${res.status} ${res.text}`);
    return { node: res.body, params: { ...params, id: idOf(res.body['@id']) } };
  }

  /**
   * The path parameters of one item of the resource, the same on every call (made once): created
   * when the resource can be, else the first its collection shows the caller.
   */
  item(resource: ResourceDescription): Promise<Params> {
    if (!this.items.has(resource.name)) this.items.set(resource.name, this.findOrMake(resource));
    return this.items.get(resource.name)!;
  }

  /** The parameters of the items a resource's collection hangs below: new ones, or the world's own. */
  async parentParams(resource: ResourceDescription, fresh = false): Promise<Params> {
    const parent = parentOf(resource);
    if (!parent) return {};
    const { id, ...above } = fresh && parent.resource.operations.collection?.POST ? (await this.create(parent.resource)).params : await this.item(parent.resource);
    return { ...above, [parent.param]: id };
  }

  /** The parameters of a route of the resource: its parents' for the collection, an item's for the item and its actions. */
  async paramsOf(resource: ResourceDescription, route: Route, fresh = false): Promise<Params> {
    if (route.target === 'collection') return this.parentParams(resource, fresh);
    if (!resource.collectionPath) return {};
    return fresh && resource.operations.collection?.POST ? (await this.create(resource)).params : this.item(resource);
  }

  private async findOrMake(resource: ResourceDescription): Promise<Params> {
    if (resource.operations.collection?.POST) return (await this.create(resource, { parents: await this.parentParams(resource) })).params;
    const params = await this.parentParams(resource);
    const path = fillPath(resource.collectionPath!, params);
    const res = await this.call('GET', path);
    const first = res.body?.['hydra:member']?.[0];
    if (res.status !== 200 || !first) throw new Error(`No ${resource.name} to act on: ${resource.name} has no POST and GET ${path} showed none (${res.status}); make one before asking`);
    return { ...params, id: idOf(first['@id']) };
  }

  /** Tells the world which item of a resource to use, for resources it cannot make itself. */
  use(resource: ResourceDescription, params: Params): void {
    this.items.set(resource.name, Promise.resolve(params));
  }
}

/** Every route of every resource, with its resource. */
export const everyRoute = resources.flatMap((resource) => routesOf(resource).map((route) => ({ resource, route })));
