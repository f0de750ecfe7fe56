import { contextPath, type JsonSchema, type ResourceDescription } from '../resources/description.js';

/** A property's own example (`examples[0]`), else for a required one what samplers take next: `const`, first `enum` value, `default`. */
function exampleOf(schema: JsonSchema, required: boolean): unknown {
  const [own] = (schema.examples as unknown[] | undefined) ?? [];
  if (own !== undefined || !required) return own;
  return schema.const ?? (schema.enum as unknown[] | undefined)?.[0] ?? schema.default;
}

/**
 * A body schema with one example body, which Swagger UI's "Try it out" and Redoc send as it
 * is: both take a schema's `examples[0]` before sampling it property by property. A sample of
 * every property holds placeholders the API refuses ("@context": "string", an expires_at of
 * 2019), so the example holds our own @context and @type, the required properties and those
 * whose description gives an example. A required property without one fails the build here
 * rather than a newcomer's first request.
 */
export function withRequestExample(resource: ResourceDescription, schema: JsonSchema): JsonSchema {
  const own = { '@context': contextPath(resource.name), '@type': resource.name };
  const properties = { ...(schema.properties as Record<string, JsonSchema>) };
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const body: Record<string, unknown> = { ...own };
  for (const [key, value] of Object.entries(own)) properties[key] = { ...properties[key], examples: [value] };
  for (const [key, property] of Object.entries(properties)) {
    if (key in own) continue;
    const example = exampleOf(property, required.has(key));
    if (example === undefined && required.has(key)) throw new Error(`${resource.name}.${key} is required but its description gives no example`);
    if (example !== undefined) body[key] = example;
  }
  return { ...schema, properties, examples: [body] };
}
