import { contextPath, type JsonSchema, type ResourceDescription } from '../resources/description.js';

import { withRequestExample } from './request-example.js';

export type SchemaMode = 'create' | 'update';

export function schemaId(resource: ResourceDescription, mode: SchemaMode): string {
  return `${resource.name}.${mode}.json`;
}

/** In a merge patch, null removes a value, at the top level and inside maps. */
function mergePatchable(schema: JsonSchema): JsonSchema {
  const entries = schema.additionalProperties;
  if (typeof entries !== 'object' || entries === null) return { ...schema, type: [schema.type, 'null'] };
  // The merged result is checked against maxProperties. A patch that does anything valid
  // removes at most every key there is and sets at most as many: twice the limit bounds it,
  // so a patch of 60,000 removals is refused by its size instead of being merged key by key.
  const max = schema.maxProperties as number | undefined;
  return { ...schema, ...(max === undefined ? {} : { maxProperties: 2 * max }), additionalProperties: mergePatchable(entries as JsonSchema), type: [schema.type, 'null'] };
}

/**
 * Request schemas carry no `default`: generators (openapi-typescript's defaultNonNullable)
 * make a property with one required in the generated type, and a merge patch that resends
 * defaults resets what it meant to keep. The value the API uses is said in words instead.
 */
function inputDescription(description: string, mode: SchemaMode, schema: JsonSchema, fallback: unknown): string {
  const max = schema.maxProperties as number | undefined;
  const bound = mode === 'update' && max !== undefined ? ` A patch names at most ${2 * max} keys (null removes one); the merged result holds at most ${max}.` : '';
  if (fallback === undefined) return description + bound;
  const value = JSON.stringify(fallback);
  return `${description}${bound} ${mode === 'create' ? `When not sent: ${value}.` : `Null sets it back to ${value}.`}`;
}

/**
 * The JSON Schema a request body must satisfy. Create bodies need every required property;
 * update bodies are JSON Merge Patch documents, so an optional property may be null (removed).
 * JSON-LD keywords of our own context are accepted and checked elsewhere. Its example body
 * (`examples`) is what Swagger UI and Redoc offer to send.
 */
export function buildInputSchema(resource: ResourceDescription, mode: SchemaMode): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    // Accepted and set aside before validation; documented so JSON-LD bodies are valid against the schema.
    // Only these values are read as the resource (anything else is a 422), so the contract names them.
    '@context': { type: 'string', const: contextPath(resource.name), description: `Optional: this resource's own context.` },
    '@type': { type: 'string', const: resource.name, description: `Optional: ${resource.name}.` },
  };
  const required: string[] = [];
  for (const [key, property] of Object.entries(resource.properties)) {
    if (!property.writable || (mode === 'update' && property.createOnly)) continue;
    const nullable = mode === 'update' && !property.required && !property.notNull;
    const { default: fallback, ...schema } = property.input ?? property.schema;
    properties[key] = { ...(nullable ? mergePatchable(schema) : schema), description: inputDescription(property.description, mode, schema, fallback) };
    if (mode === 'create' && property.required) required.push(key);
  }
  return withRequestExample(resource, {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: schemaId(resource, mode),
    title: `${resource.title} (${mode === 'create' ? 'create' : 'merge patch'})`,
    type: 'object',
    properties,
    ...(required.length ? { required } : {}),
    additionalProperties: false,
  });
}
