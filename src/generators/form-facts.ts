import type { JsonSchema, PropertyDescription, ResourceDescription } from '../resources/description.js';

type Node = Record<string, unknown>;

/**
 * SHACL (https://www.w3.org/TR/shacl/) names what a form needs to know of a property: the
 * values it may take (`sh:in`), how many (`sh:maxCount`; absent or above 1 is a list) and what
 * it holds when not sent (`sh:defaultValue`). We chose SHACL over an `owl:oneOf` range because
 * it is the W3C vocabulary for exactly these constraints and what generic RDF form builders
 * read (Zazuko's shaperone, TopBraid's forms), while Hydra has no term for them and API
 * Platform's Hydra output none (its Admin takes enumerations from OpenAPI, which has `enum`).
 */
export const SHACL_IN_TERMS = {
  sh: 'http://www.w3.org/ns/shacl#',
  'sh:in': { '@id': 'sh:in', '@container': '@list' },
};

export const SHACL_TERMS = {
  ...SHACL_IN_TERMS,
  /*
   * Defaults are written as the API reads them (`true`, `0`, `[]`, `{}`) with no `@json` term
   * (JSON-LD 1.1 only: a 1.0 processor refuses the whole documentation): as RDF a scalar is the
   * typed literal SHACL expects (`true`^^xsd:boolean), an empty list no statement at all.
   */
  /* Ours: the few properties (by hydra:title) a list of the class shows, in order. */
  summary: { '@container': '@list' },
};

/** The values one item may take: the schema's enum, or its items' enum for a list. */
function enumeration(schema: JsonSchema): unknown[] | undefined {
  const items = (schema.items ?? {}) as JsonSchema;
  return (schema.enum ?? items.enum) as unknown[] | undefined;
}

/** A list holds up to maxItems values; anything else holds one. */
function maxCount(schema: JsonSchema): number | undefined {
  if (schema.type !== 'array') return 1;
  return typeof schema.maxItems === 'number' ? schema.maxItems : undefined;
}

/**
 * A default JSON-LD reads as a value: a scalar (a typed literal) or a list of them. An object
 * default (`{}` of a JSON property) would be read as a node, and processors disagree on an empty
 * one, so it is left out: the form starts empty and the API stores `{}` all the same.
 */
function hasLiteralDefault(schema: JsonSchema): boolean {
  return schema.default !== undefined && (typeof schema.default !== 'object' || Array.isArray(schema.default));
}

/** The form facts of one supported property, from its JSON Schema (the input schema where it differs). */
export function propertyFormFacts(property: PropertyDescription): Node {
  const schema = property.input ?? property.schema;
  const values = enumeration(schema);
  const count = maxCount(schema);
  return {
    ...(values ? { 'sh:in': values } : {}),
    ...(count !== undefined ? { 'sh:maxCount': count } : {}),
    ...(property.writable && !property.required && hasLiteralDefault(schema) ? { 'sh:defaultValue': schema.default } : {}),
    // Ours: writeable on create only (hydra:writeable stays true), so an update form leaves it out.
    ...(property.createOnly ? { create_only: true } : {}),
  };
}

/** The class's summary columns, when its description names them. */
export function classFormFacts(resource: ResourceDescription): Node {
  const unknown = resource.summary?.find((key) => !(key in resource.properties));
  if (unknown) throw new Error(`Summary of ${resource.name} names ${unknown}, which it does not describe`);
  return resource.summary ? { summary: resource.summary } : {};
}
