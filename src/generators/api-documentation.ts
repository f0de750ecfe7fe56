import { operationContract, type StatusContract } from '../http/contract/operation-contract.js';
import { classFormFacts, propertyFormFacts, SHACL_TERMS } from './form-facts.js';
import { API_PREFIX, PREFIXES, routesOf, VOCABULARY, VOCABULARY_IRI, type HttpMethod, type OperationDescription, type PropertyDescription, type ResourceDescription, type Route } from '../resources/description.js';

type Node = Record<string, unknown>;

/** What the sections below read: the resources by name, and the facts of our terms. */
interface Context {
  byName: Map<string, ResourceDescription>;
  facts: TermFacts;
}

/** `lo:` names our own terms in the documentation, where an `@id` cannot fall back on `@vocab`. */
const VOCABULARY_PREFIX = 'lo';

const DOCUMENTATION_CONTEXT = {
  '@vocab': VOCABULARY,
  ...PREFIXES,
  [VOCABULARY_PREFIX]: VOCABULARY,
  definedBy: { '@id': 'rdfs:isDefinedBy', '@type': '@id' },
  about: { '@id': 'schema:about', '@type': '@id' },
  seeAlso: { '@id': 'rdfs:seeAlso', '@type': '@id' },
  domain: { '@id': 'rdfs:domain', '@type': '@id' },
  range: { '@id': 'rdfs:range', '@type': '@id' },
  subClassOf: { '@id': 'rdfs:subClassOf', '@type': '@id' },
  expects: { '@id': 'hydra:expects', '@type': '@id' },
  // An IRI, not a string: relative here, it resolves against the documentation's own URL.
  'hydra:entrypoint': { '@id': 'hydra:entrypoint', '@type': '@id' },
  returns: { '@id': 'hydra:returns', '@type': '@id' },
  'sh:datatype': { '@id': 'sh:datatype', '@type': '@id' },
  'sh:class': { '@id': 'sh:class', '@type': '@id' },
  'sh:nodeKind': { '@id': 'sh:nodeKind', '@type': '@id' },
  ...SHACL_TERMS,
};

/** Class and property IRIs as the documentation writes them: compact IRIs, or `lo:Term` in our vocabulary. */
function iri(value: string): string {
  return value.includes(':') ? value : `${VOCABULARY_PREFIX}:${value}`;
}

/** Our own terms say which vocabulary defines them; schema.org's and Hydra's are not ours to define. */
function definedBy(value: string): Node {
  return value.includes(':') ? {} : { definedBy: VOCABULARY_IRI };
}

/** Whether the documentation may say what the term means (domain, range): only of our own terms. */
function ours(value: string): boolean {
  return !value.includes(':');
}

/** The range of a property whose value is an IRI of anything (a problem's type, the request's path): not a hydra:Link. */
const ANY_RESOURCE = 'rdfs:Resource';

/** XSD datatypes and JSON literals are values; anything else a range names is a class. */
function isDatatype(range: string): boolean {
  return range.startsWith('xsd:') || range === 'rdf:JSON';
}

/**
 * What the documentation asserts of each of our property terms, over every class using it.
 * RDFS reads several `rdfs:domain`s as an intersection, so a term several classes share gets
 * none (each class's hydra:supportedProperty says it has it); a range only when every use agrees.
 */
type TermFacts = Map<string, { domains: Set<string>; ranges: Set<string> }>;

function termFacts(resources: ResourceDescription[], byName: Map<string, ResourceDescription>): TermFacts {
  const facts: TermFacts = new Map();
  for (const resource of resources) {
    for (const [key, property] of Object.entries(resource.properties)) {
      const term = property.iri ?? key;
      if (!ours(term)) continue;
      const entry = facts.get(term) ?? { domains: new Set<string>(), ranges: new Set<string>() };
      entry.domains.add(classIri(resource));
      entry.ranges.add(rangeIri(property, byName));
      facts.set(term, entry);
    }
  }
  return facts;
}

function only(values: Set<string> | undefined): string | undefined {
  return values?.size === 1 ? [...values][0] : undefined;
}

function classIri(resource: ResourceDescription): string {
  return iri(resource.iri ?? resource.name);
}

function typeIri(name: string, byName: Map<string, ResourceDescription>): string {
  const resource = byName.get(name);
  return resource ? classIri(resource) : iri(name);
}

/** Where a link leads, as a route of the resource that answers there: a collection, an item, or the link's own (actions). */
function linkTarget(resource: ResourceDescription, key: string, property: PropertyDescription, byName: Map<string, ResourceDescription>): { resource: ResourceDescription; target: string } | undefined {
  const described = (name: string) => {
    const found = byName.get(name);
    if (!found) throw new Error(`Link to ${name}, which is not a described resource`);
    return found;
  };
  if (property.collectionOf) return { resource: described(property.collectionOf), target: 'collection' };
  if (property.itemOf) return { resource: described(property.itemOf), target: 'item' };
  return property.operations ? { resource, target: key } : undefined;
}

/**
 * A list of literals (ip_allowlist, auto_join_domains) ranges over `xsd:array`, the term API
 * Platform's Admin and its api-doc-parser read as "an array" (getType); `sh:datatype` keeps the
 * type of each value. Lists of resources (members) keep their class: that is what Admin embeds.
 */
function rangeIri(property: PropertyDescription, byName: Map<string, ResourceDescription>): string {
  if (property.collectionOf && byName.has(property.collectionOf)) return `${COLLECTION_OF}${classIri(byName.get(property.collectionOf)!)}`;
  return isLiteralList(property, byName) ? 'xsd:array' : typeIri(property.range, byName);
}

/** A range key for "a collection of this class", written out by `rangeNode`. */
const COLLECTION_OF = 'collection-of:';

/**
 * A link to a collection ranges over the collections whose every member is of its class (an OWL
 * restriction on hydra:member, as API Platform writes it): how api-doc-parser, and so Admin, finds
 * the class of a collection that has no POST to name it (events).
 */
function rangeNode(range: string): unknown {
  if (!range.startsWith(COLLECTION_OF)) return range;
  return {
    subClassOf: 'hydra:Collection',
    'owl:equivalentClass': { '@type': 'owl:Restriction', 'owl:onProperty': { '@id': 'hydra:member' }, 'owl:allValuesFrom': { '@id': range.slice(COLLECTION_OF.length) } },
  };
}

function isLiteralList(property: PropertyDescription, byName: Map<string, ResourceDescription>): boolean {
  return (property.input ?? property.schema).type === 'array' && property.range.startsWith('xsd:') && !byName.has(property.range);
}

function supportedProperty(resource: ResourceDescription, key: string, property: PropertyDescription, context: Context): Node {
  const { byName, facts } = context;
  const target = linkTarget(resource, key, property, byName);
  const term = property.iri ?? key;
  const range = typeIri(property.range, byName);
  const domain = only(facts.get(term)?.domains);
  const sharedRange = only(facts.get(term)?.ranges);
  return {
    '@type': 'hydra:SupportedProperty',
    'hydra:property': {
      '@id': iri(term),
      // A hydra:Link leads to a resource of a class; a plain IRI-valued property (a problem's type) is an rdf:Property.
      '@type': property.link && property.range !== ANY_RESOURCE ? 'hydra:Link' : 'rdf:Property',
      'rdfs:label': key,
      ...definedBy(term),
      ...(domain ? { domain } : {}),
      ...(sharedRange ? { range: rangeNode(sharedRange) } : {}),
      ...(target ? { 'hydra:supportedOperation': operations(target.resource, target.target, byName) } : {}),
    },
    'hydra:title': key,
    'hydra:description': property.description,
    'rdfs:comment': property.description,
    // What the value is in this class, whoever owns the term (SHACL, as sh:in and sh:maxCount below).
    ...valueFacts(property, range),
    'hydra:required': Boolean(property.required),
    'hydra:readable': true,
    // Create-only properties (is_personal) are not writeable by an update: `create_only` says POST takes them.
    'hydra:writeable': Boolean(property.writable) && !property.createOnly,
    ...propertyFormFacts(property),
  };
}

/** sh:datatype for a literal, sh:class for a node of a class, sh:nodeKind sh:IRI for any IRI. */
function valueFacts(property: PropertyDescription, range: string): Node {
  if (property.range === ANY_RESOURCE) return { 'sh:nodeKind': 'sh:IRI' };
  return isDatatype(property.range) ? { 'sh:datatype': range } : { 'sh:class': range };
}

/** A status as Hydra lists it, naming the problem types the request chain answers with it. */
function possibleStatus({ status, problems, domain }: StatusContract): Node {
  const named = problems.length ? `Problem types: ${problems.join(', ')}${domain ? ', or one of the operation\'s own' : ''}.` : undefined;
  return { '@type': 'hydra:Status', 'hydra:statusCode': status, ...(named ? { 'hydra:description': named } : {}) };
}

function supportedOperation(resource: ResourceDescription, route: Route, method: HttpMethod, operation: OperationDescription, byName: Map<string, ResourceDescription>): Node {
  return {
    '@type': 'hydra:Operation',
    'hydra:method': method,
    'hydra:title': operation.title,
    ...(operation.scope ? { required_scope: operation.scope } : {}),
    ...(operation.expects ? { expects: typeIri(operation.expects, byName) } : {}),
    returns: typeIri(operation.returns, byName),
    'hydra:possibleStatus': operationContract({ resource, route, method, operation }).statuses.map(possibleStatus),
  };
}

/** The operations of one route of a resource (`collection`, `item`, or an action link's name). */
function operations(resource: ResourceDescription, target: string, byName: Map<string, ResourceDescription>): Node[] {
  const route = routesOf(resource).find((r) => r.target === target);
  if (!route) return [];
  return (Object.entries(route.operations) as [HttpMethod, OperationDescription][]).map(([method, operation]) => supportedOperation(resource, route, method, operation, byName));
}

/**
 * The entrypoint's links to one resource (`me`), not collections. API Platform's entrypoint class
 * lists collections only, and its Admin (api-doc-parser) makes a menu entry, whose list then
 * fails, of every property the entrypoint class supports; so these are described as links of the
 * vocabulary (same hydra:Link, domain, range and GET) rather than supported properties of the class.
 */
function isEntrypointItemLink(resource: ResourceDescription, property: PropertyDescription): boolean {
  return resource.path === '' && Boolean(property.itemOf);
}

function supportedClass(resource: ResourceDescription, context: Context): Node {
  const { byName } = context;
  const properties = Object.entries(resource.properties).filter(([, p]) => !isEntrypointItemLink(resource, p));
  return {
    '@id': classIri(resource),
    '@type': 'hydra:Class',
    'rdfs:label': resource.name,
    ...definedBy(resource.iri ?? resource.name),
    'hydra:title': resource.title,
    'hydra:description': resource.description,
    'rdfs:comment': resource.description,
    ...(resource.subClassOf ? { subClassOf: iri(resource.subClassOf) } : {}),
    'hydra:supportedProperty': properties.map(([key, p]) => supportedProperty(resource, key, p, context)),
    'hydra:supportedOperation': operations(resource, 'item', byName),
    ...classFormFacts(resource),
  };
}

/**
 * The vocabulary this documentation describes: every class and property below marked
 * `rdfs:isDefinedBy` it is one of its terms, so the documentation is where a client
 * dereferences them (the vocabulary IRI itself names no server).
 */
const VOCABULARY_NODE: Node = {
  '@id': VOCABULARY_IRI,
  '@type': 'owl:Ontology',
  'rdfs:label': 'Linked Orgs vocabulary',
  'rdfs:comment': `The terms of Linked Orgs, ${VOCABULARY}<term>, the same for every deployment; each server describes them in its API documentation.`,
  seeAlso: `${API_PREFIX}/docs.jsonld`,
};

/** The hydra:ApiDocumentation served at /api/docs.jsonld, generated from the descriptions. */
export function buildApiDocumentation(resources: ResourceDescription[]): Node {
  const byName = new Map(resources.map((r) => [r.name, r]));
  const context: Context = { byName, facts: termFacts(resources, byName) };
  const classes = resources.map((r) => supportedClass(r, context));
  const itemLinks = resources.flatMap((r) =>
    Object.entries(r.properties).filter(([, p]) => isEntrypointItemLink(r, p)).map(([key, p]) => supportedProperty(r, key, p, context)['hydra:property']),
  );
  return {
    '@context': DOCUMENTATION_CONTEXT,
    '@id': `${API_PREFIX}/docs.jsonld`,
    '@type': 'hydra:ApiDocumentation',
    'hydra:title': 'Linked Orgs API',
    'hydra:description': 'Organizations, their owners and members, as JSON-LD with Hydra controls. Errors are RFC 9457 problem documents.',
    'hydra:entrypoint': API_PREFIX,
    about: itemLinks.length ? { ...VOCABULARY_NODE, '@reverse': { 'rdfs:isDefinedBy': itemLinks } } : VOCABULARY_NODE,
    'hydra:supportedClass': classes,
  };
}
