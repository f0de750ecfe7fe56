import type { JsonSchema, ResourceDescription } from '../resources/description.js';
import { CONTEXT_SCHEMA, memberSchema, schemaRef } from './openapi-schemas.js';

export function collectionSchemaName(resource: ResourceDescription): string {
  return `${resource.name}Collection`;
}

export function hasCollection(resource: ResourceDescription): boolean {
  return resource.operations.collection?.GET?.returns === 'hydra:Collection';
}

/** Resources some collection holds: their own collection, or a link that holds them (`/api/me/invitations`). */
function listedResources(resources: ResourceDescription[]): ResourceDescription[] {
  const held = new Set(resources.flatMap((r) => Object.values(r.properties).flatMap((p) => (p.holds ? [p.holds] : []))));
  return resources.filter((r) => hasCollection(r) || held.has(r.name));
}

const pageLink = (description: string) => ({ type: 'string', format: 'iri-reference', description });

/** What every collection page shares, as pagination.ts writes it. */
const HYDRA_SCHEMAS: Record<string, JsonSchema> = {
  HydraPartialCollectionView: {
    description: 'Links to the first, last, previous and next pages; its @id is the URL that was asked for.',
    type: 'object',
    properties: {
      '@id': { type: 'string', format: 'iri-reference' },
      '@type': { const: 'hydra:PartialCollectionView' },
      'hydra:first': pageLink('The first page.'),
      'hydra:last': pageLink('The last page.'),
      'hydra:previous': pageLink('The page before this one, from page 2 on.'),
      'hydra:next': pageLink('The page after this one, unless this is the last.'),
    },
    required: ['@id', '@type', 'hydra:first', 'hydra:last'],
  },
  HydraIriTemplate: {
    description: 'How to search the collection: an RFC 6570 template and what each of its variables filters or sorts on.',
    type: 'object',
    properties: {
      '@type': { const: 'hydra:IriTemplate' },
      'hydra:template': { type: 'string', description: 'The RFC 6570 template; a variable name is written percent-encoded where it is not a letter, digit or `_` (`order%5Bname%5D` for the query parameter `order[name]`).' },
      'hydra:variableRepresentation': { const: 'hydra:BasicRepresentation' },
      'hydra:mapping': {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            '@type': { const: 'IriTemplateMapping' },
            variable: { type: 'string', description: 'The template variable percent-decoded: the query parameter it stands for (`order[name]` for `order%5Bname%5D`), as API Platform writes mappings.' },
            property: { type: 'string' },
            required: { type: 'boolean' },
            'sh:in': { type: 'array', items: { type: 'string' }, description: 'The values the variable takes (SHACL sh:in), when they are few: sort directions, an enumeration.' },
          },
          required: ['variable', 'property'],
        },
      },
    },
    required: ['@type', 'hydra:template', 'hydra:mapping'],
  },
};

/**
 * One page of a resource's items, every property spelled out (no allOf), so generated clients
 * type hydra:member as the resource and not as `{}`.
 */
function pageOf(resource: ResourceDescription): JsonSchema {
  return {
    description: `One page of ${resource.title} items.`,
    type: 'object',
    properties: {
      '@context': CONTEXT_SCHEMA,
      '@id': { type: 'string', format: 'iri-reference', description: 'The collection, without page parameters.' },
      '@type': { type: 'string', const: 'hydra:Collection' },
      'hydra:totalItems': { type: 'integer', minimum: 0, description: 'How many items the whole collection holds.' },
      'hydra:member': { type: 'array', items: memberSchema(resource), description: 'The items on this page.' },
      'hydra:view': schemaRef('HydraPartialCollectionView'),
      'hydra:search': schemaRef('HydraIriTemplate'),
      'hydra:memberAssertion': {
        type: 'object',
        description: 'What every member is (Hydra): each has rdf:type the class named here.',
        properties: { 'hydra:property': { const: 'rdf:type' }, 'hydra:object': { const: resource.name } },
        required: ['hydra:property', 'hydra:object'],
      },
    },
    required: ['@id', '@type', 'hydra:totalItems', 'hydra:member', 'hydra:view', 'hydra:memberAssertion'],
  };
}

/** Hydra's view and search template, and a page schema for every resource some collection holds. */
export function collectionSchemas(resources: ResourceDescription[]): Record<string, JsonSchema> {
  return { ...HYDRA_SCHEMAS, ...Object.fromEntries(listedResources(resources).map((r) => [collectionSchemaName(r), pageOf(r)])) };
}
