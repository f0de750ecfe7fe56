import { SHACL_IN_TERMS } from './form-facts.js';
import { PREFIXES, VOCABULARY, type PropertyDescription, type ResourceDescription } from '../resources/description.js';

type TermDefinition = string | Record<string, unknown>;
export type JsonLdContext = Record<string, TermDefinition | number>;

/** Terms of our own vocabulary need no @id: @vocab gives them `<VOCABULARY><key>`. */
function termDefinition(property: PropertyDescription): TermDefinition | undefined {
  const extra = { ...(property.link ? { '@type': '@id' } : {}), ...property.jsonld };
  if (Object.keys(extra).length === 0) return property.iri;
  return property.iri ? { '@id': property.iri, ...extra } : extra;
}

function addTerms(context: JsonLdContext, resource: ResourceDescription): void {
  if (resource.iri) context[resource.name] = resource.iri;
  for (const [key, property] of Object.entries(resource.properties)) {
    const definition = termDefinition(property);
    if (definition === undefined) continue;
    const existing = context[key];
    if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(definition)) {
      throw new Error(`Term "${key}" of ${resource.name} clashes with an embedded class's definition`);
    }
    context[key] = definition;
  }
}

/**
 * Collections are written with prefixed Hydra keys (search mappings unprefixed, as API
 * Platform writes them); page links are IRIs, and a mapping's property and the template's
 * representation, and the memberAssertion's property and object, name vocabulary terms.
 */
const COLLECTION_TERMS = {
  ...Object.fromEntries(['first', 'last', 'previous', 'next'].map((rel) => [`hydra:${rel}`, { '@id': `hydra:${rel}`, '@type': '@id' }])),
  'hydra:variableRepresentation': { '@id': 'hydra:variableRepresentation', '@type': '@vocab' },
  IriTemplateMapping: 'hydra:IriTemplateMapping',
  variable: 'hydra:variable',
  property: { '@id': 'hydra:property', '@type': '@vocab' },
  required: 'hydra:required',
  // The collection's memberAssertion names a property and a class, as vocabulary terms.
  'hydra:property': { '@id': 'hydra:property', '@type': '@vocab' },
  'hydra:object': { '@id': 'hydra:object', '@type': '@vocab' },
  // A mapping's `sh:in`: the values its variable takes (sort directions, roles), for a form's choices.
  ...SHACL_IN_TERMS,
};

/**
 * The JSON-LD context served at /api/contexts/<name>. Self-contained (no remote context,
 * not even Hydra's) so that offline clients and our own document loader expand everything.
 * Unlisted terms fall to our vocabulary, an absolute IRI: nothing in a context depends on
 * the URL it was fetched from, so every host name of every deployment expands alike.
 */
export function buildContext(resource: ResourceDescription): { '@context': JsonLdContext } {
  const context: JsonLdContext = { '@version': 1.1, '@vocab': VOCABULARY, ...PREFIXES };
  // The entrypoint links to the documentation with Hydra's own property, an IRI.
  if (resource.iri === 'hydra:EntryPoint') context['hydra:apiDocumentation'] = { '@id': 'hydra:apiDocumentation', '@type': '@id' };
  for (const embedded of resource.embeds ?? []) addTerms(context, embedded);
  addTerms(context, resource);
  if (resource.collectionPath) {
    const clash = Object.keys(COLLECTION_TERMS).find((term) => term in context);
    if (clash) throw new Error(`Property "${clash}" of ${resource.name} clashes with a collection term`);
    Object.assign(context, COLLECTION_TERMS);
  }
  return { '@context': context };
}
