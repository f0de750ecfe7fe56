import type { JsonSchema, ResourceDescription } from '../resources/description.js';

export type SchemaMode = 'create' | 'update';

export function schemaId(resource: ResourceDescription, mode: SchemaMode): string {
  return `${resource.name}.${mode}.json`;
}

/**
 * The JSON Schema a request body must satisfy. Create bodies need every required property;
 * update bodies are JSON Merge Patch documents, so an optional property may be null (removed).
 * JSON-LD keywords of our own context are accepted and checked elsewhere.
 */
export function buildInputSchema(resource: ResourceDescription, mode: SchemaMode): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [key, property] of Object.entries(resource.properties)) {
    if (!property.writable || (mode === 'update' && property.createOnly)) continue;
    const nullable = mode === 'update' && !property.required;
    const type = nullable ? [property.schema.type, 'null'] : property.schema.type;
    properties[key] = { ...property.schema, type, description: property.description };
    if (mode === 'create' && property.required) required.push(key);
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: schemaId(resource, mode),
    title: `${resource.title} (${mode === 'create' ? 'create' : 'merge patch'})`,
    type: 'object',
    properties,
    ...(required.length ? { required } : {}),
    additionalProperties: false,
  };
}
