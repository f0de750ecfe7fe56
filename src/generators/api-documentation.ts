import { API_PREFIX, PREFIXES, VOCABULARY, VOCABULARY_IRI, type HttpMethod, type OperationDescription, type PropertyDescription, type ResourceDescription } from '../resources/description.js';

type Node = Record<string, unknown>;

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
  returns: { '@id': 'hydra:returns', '@type': '@id' },
};

/** Class and property IRIs as the documentation writes them: compact IRIs, or `lo:Term` in our vocabulary. */
function iri(value: string): string {
  return value.includes(':') ? value : `${VOCABULARY_PREFIX}:${value}`;
}

/** Our own terms say which vocabulary defines them; schema.org's and Hydra's are not ours to define. */
function definedBy(value: string): Node {
  return value.includes(':') ? {} : { definedBy: VOCABULARY_IRI };
}

function classIri(resource: ResourceDescription): string {
  return iri(resource.iri ?? resource.name);
}

function typeIri(name: string, byName: Map<string, ResourceDescription>): string {
  const resource = byName.get(name);
  return resource ? classIri(resource) : iri(name);
}

/** The operations a link's target offers: a collection's, an item's, or the link's own (actions). */
function linkOperations(property: PropertyDescription, byName: Map<string, ResourceDescription>): Partial<Record<HttpMethod, OperationDescription>> | undefined {
  const target = (name: string) => {
    const resource = byName.get(name);
    if (!resource) throw new Error(`Link to ${name}, which is not a described resource`);
    return resource;
  };
  if (property.collectionOf) return target(property.collectionOf).operations.collection;
  if (property.itemOf) return target(property.itemOf).operations.item;
  return property.operations;
}

function supportedProperty(resource: ResourceDescription, key: string, property: PropertyDescription, byName: Map<string, ResourceDescription>): Node {
  const targetOperations = linkOperations(property, byName);
  return {
    '@type': 'hydra:SupportedProperty',
    'hydra:property': {
      '@id': iri(property.iri ?? key),
      '@type': property.link ? 'hydra:Link' : 'rdf:Property',
      'rdfs:label': key,
      ...definedBy(property.iri ?? key),
      domain: classIri(resource),
      range: typeIri(property.range, byName),
      ...(targetOperations ? { 'hydra:supportedOperation': operations(targetOperations, byName) } : {}),
    },
    'hydra:title': key,
    'hydra:description': property.description,
    'hydra:required': Boolean(property.required),
    'hydra:readable': true,
    'hydra:writeable': Boolean(property.writable),
  };
}

function supportedOperation(method: HttpMethod, operation: OperationDescription, byName: Map<string, ResourceDescription>): Node {
  return {
    '@type': 'hydra:Operation',
    'hydra:method': method,
    'hydra:title': operation.title,
    ...(operation.scope ? { required_scope: operation.scope } : {}),
    ...(operation.expects ? { expects: typeIri(operation.expects, byName) } : {}),
    returns: typeIri(operation.returns, byName),
    'hydra:possibleStatus': operation.possibleStatus.map((code) => ({ '@type': 'hydra:Status', 'hydra:statusCode': code })),
  };
}

function operations(list: Partial<Record<HttpMethod, OperationDescription>> | undefined, byName: Map<string, ResourceDescription>): Node[] {
  return Object.entries(list ?? {}).map(([method, operation]) => supportedOperation(method as HttpMethod, operation, byName));
}

function supportedClass(resource: ResourceDescription, byName: Map<string, ResourceDescription>): Node {
  return {
    '@id': classIri(resource),
    '@type': 'hydra:Class',
    'rdfs:label': resource.name,
    ...definedBy(resource.iri ?? resource.name),
    'hydra:title': resource.title,
    'hydra:description': resource.description,
    'hydra:supportedProperty': Object.entries(resource.properties).map(([key, p]) => supportedProperty(resource, key, p, byName)),
    'hydra:supportedOperation': operations(resource.operations.item, byName),
  };
}

/**
 * The vocabulary this documentation describes: every class and property below marked
 * `rdfs:isDefinedBy` it is one of its terms, so the documentation is where a client
 * dereferences them (the vocabulary IRI itself names no server).
 */
const VOCABULARY_NODE = {
  '@id': VOCABULARY_IRI,
  '@type': 'owl:Ontology',
  'rdfs:label': 'Linked Orgs vocabulary',
  'rdfs:comment': `The terms of Linked Orgs, ${VOCABULARY}<term>, the same for every deployment; each server describes them in its API documentation.`,
  seeAlso: `${API_PREFIX}/docs.jsonld`,
};

/** The hydra:ApiDocumentation served at /api/docs.jsonld, generated from the descriptions. */
export function buildApiDocumentation(resources: ResourceDescription[]): Node {
  const byName = new Map(resources.map((r) => [r.name, r]));
  const classes = resources.map((r) => supportedClass(r, byName));
  return {
    '@context': DOCUMENTATION_CONTEXT,
    '@id': `${API_PREFIX}/docs.jsonld`,
    '@type': 'hydra:ApiDocumentation',
    'hydra:title': 'Linked Orgs API',
    'hydra:description': 'Organizations, their owners and members, as JSON-LD with Hydra controls. Errors are RFC 9457 problem documents.',
    'hydra:entrypoint': API_PREFIX,
    about: VOCABULARY_NODE,
    'hydra:supportedClass': classes,
  };
}
