import { API_PREFIX, itemPattern, type PropertyDescription, type ResourceDescription } from '../resources/description.js';
import { resources } from '../resources/registry.js';

export type JsonLdNode = Record<string, unknown>;

/** The values of a resource's path parameters (`{ organizationId, id }`), as its row holds them. */
export type PathParams = Record<string, string>;

type Href = (params: PathParams, self: string) => string;

/** One property of a representation, in the description's order: a row value, or a link built from the description. */
type Slot = { key: string; identifier: boolean; href?: Href; shownWhile?: Record<string, unknown> };

interface LinkTable {
  self: Href;
  slots: Slot[];
}

const lowerFirst = (name: string) => name[0].toLowerCase() + name.slice(1);

/**
 * What a path parameter identifies: `:id` the class the path belongs to, `:organizationId` an
 * Organization. A target's parameter is filled from the owner's parameter that identifies the
 * same class: the owner's own `:id` when it is that class, else its `:<class>Id`.
 */
function ownerParam(name: string, targetClass: string, ownerClass: string): string {
  const identifies = name === 'id' ? targetClass : name[0].toUpperCase() + name.slice(1, -2);
  return identifies === ownerClass ? 'id' : `${lowerFirst(identifies)}Id`;
}

/** A path pattern compiled once: its fixed text and the owner parameters that fill it. */
function compilePath(pattern: string, targetClass: string, ownerClass: string): Href {
  const parts = (API_PREFIX + pattern).split(/(:\w+)/).map((part) => (part.startsWith(':') ? { from: ownerParam(part.slice(1), targetClass, ownerClass) } : part));
  return (params) => {
    let path = '';
    for (const part of parts) {
      if (typeof part === 'string') path += part;
      else if (params[part.from] === undefined) throw new Error(`${ownerClass} links to ${pattern} without a value for ${part.from}`);
      else path += params[part.from];
    }
    return path;
  };
}

function described(name: string, owner: ResourceDescription, key: string): ResourceDescription {
  const target = resources.find((r) => r.name === name);
  if (!target) throw new Error(`${owner.name}.${key} links to ${name}, which is not described`);
  return target;
}

/**
 * Where a link property leads, by what its description says: an action link (`operations`) sits
 * below the item; `collectionOf` is that class's collection; `itemOf`, or a range naming a
 * class with its own path, that resource. A link with none of these (an audit event's target,
 * of any class) is a value of the row.
 */
function hrefOf(owner: ResourceDescription, key: string, property: PropertyDescription): Href | undefined {
  if (!property.link) return undefined;
  if (property.operations) return (_params, self) => `${self}/${key}`;
  if (property.collectionOf) {
    const target = described(property.collectionOf, owner, key);
    if (!target.collectionPath) throw new Error(`${owner.name}.${key}: ${target.name} has no collection`);
    return compilePath(target.collectionPath, target.name, owner.name);
  }
  const itemClass = property.itemOf ?? resources.find((r) => r.name === property.range)?.name;
  if (!itemClass) return undefined;
  const target = described(itemClass, owner, key);
  return compilePath(itemPattern(target), target.name, owner.name);
}

// Built once per resource, on its first representation (the registry is complete by then).
const tables = new Map<ResourceDescription, LinkTable>();

function tableOf(resource: ResourceDescription): LinkTable {
  let table = tables.get(resource);
  if (!table) {
    const slots = Object.entries(resource.properties).map(([key, property]) => ({
      key,
      identifier: Boolean(property.identifier),
      href: hrefOf(resource, key, property),
      shownWhile: property.shownWhile,
    }));
    tables.set(resource, (table = { self: compilePath(itemPattern(resource), resource.name, resource.name), slots }));
  }
  return table;
}

/** The link properties of a resource that the description fills, by key (for tests and documentation). */
export function describedLinks(resource: ResourceDescription): string[] {
  return tableOf(resource).slots.filter((slot) => slot.href).map((slot) => slot.key);
}

function shown(slot: Slot, values: Record<string, unknown>): boolean {
  return !slot.shownWhile || Object.entries(slot.shownWhile).every(([key, value]) => values[key] === value);
}

const IP_RESTRICTED = 'ip_restricted';

/**
 * The representation of one resource, already compacted against its context: `@id` from its path
 * parameters, then its properties in the description's order, each link built from the
 * description (an action link only while `shownWhile` holds), each other value from `values`
 * (absent ones left out: JSON-LD would drop a null anyway). A list item that the organization's
 * ip_allowlist closes to the caller (`ip_restricted`) shows only its identifiers.
 */
export function resourceNode(resource: ResourceDescription, values: object, params: PathParams): JsonLdNode {
  const { self, slots } = tableOf(resource);
  const row = values as Record<string, unknown>;
  const id = self(params, '');
  const node: JsonLdNode = { '@id': id, '@type': resource.name };
  const restricted = row[IP_RESTRICTED] === true;
  for (const slot of slots) {
    if (restricted && !slot.identifier && slot.key !== IP_RESTRICTED) continue;
    const value = slot.href ? (shown(slot, row) ? slot.href(params, id) : undefined) : row[slot.key];
    if (value !== null && value !== undefined) node[slot.key] = value;
  }
  return node;
}
