import { alwaysSent, routesOf, type HttpMethod, type JsonSchema, type PropertyDescription, type ResourceDescription } from '../resources/description.js';
import { constraintViolationListDescription, errorDescription } from '../resources/error/error.description.js';
import { IP_RESTRICTED } from '../resources/organization/ip-allowlist.js';
import { partnerDescription } from '../resources/partner/partner.description.js';
import { buildInputSchema, schemaId, type SchemaMode } from './json-schema.js';

const COMPONENTS = '#/components/schemas/';

export function schemaRef(name: string): JsonSchema {
  return { $ref: COMPONENTS + name };
}

/** Resources served at a path of their own; the others (problems, violations) only appear inside responses. */
export function isAddressable(resource: ResourceDescription): boolean {
  return resource.collectionPath !== undefined || resource.path !== undefined;
}

/** Bodies are read as a create on POST and as a merge patch otherwise, as the routes read them. */
function inputMode(method: HttpMethod): SchemaMode {
  return method === 'POST' ? 'create' : 'update';
}

/** The name of the body's schema file in schemas/, without `.json`: `Organization.create`. */
export function inputSchemaName(resource: ResourceDescription, method: HttpMethod): string {
  return schemaId(resource, inputMode(method)).replace(/\.json$/, '');
}

/** Descriptions point at other classes with `#/$defs/<Class>`, as a standalone JSON Schema would. */
function withComponentRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withComponentRefs);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, key === '$ref' && typeof v === 'string' ? v.replace(/^#\/\$defs\//, COMPONENTS) : withComponentRefs(v)]),
  );
}

export const CONTEXT_SCHEMA = { type: 'string', format: 'uri-reference', readOnly: true, description: 'The JSON-LD context; in application/json it is a Link header instead.' };

function jsonLdKeywords(resource: ResourceDescription): Record<string, JsonSchema> {
  return {
    '@context': CONTEXT_SCHEMA,
    '@id': { type: 'string', format: 'iri-reference', readOnly: true, description: 'The IRI of this resource.' },
    '@type': { type: 'string', const: resource.name, readOnly: true, description: 'The class of this resource.' },
    ...(resource.iri === 'hydra:EntryPoint'
      ? { 'hydra:apiDocumentation': { type: 'string', format: 'iri-reference', readOnly: true, description: 'The Hydra API documentation.' } }
      : {}),
  };
}

function propertySchema(property: PropertyDescription): JsonSchema {
  return { ...(withComponentRefs(property.schema) as JsonSchema), description: property.description, ...(property.writable ? {} : { readOnly: true }) };
}

/** A resource as the API sends it: every described property, absent when it has no value. */
function outputSchema(resource: ResourceDescription): JsonSchema {
  const properties: Record<string, JsonSchema> = jsonLdKeywords(resource);
  const { [IP_RESTRICTED]: _onlyInTheIdentifiersView, ...described } = resource.properties;
  for (const [key, property] of Object.entries(described)) properties[key] = propertySchema(property);
  // Only resources with an address of their own are written with @id and @type; what every
  // answer carries is required, so a generated client need not check it (no `org.id!`).
  const keywords = isAddressable(resource) ? Object.keys(properties).filter((key) => key !== '@context' && !(key in described)) : [];
  const required = [...keywords, ...Object.keys(described).filter((key) => alwaysSent(described[key]))];
  return {
    title: resource.title,
    description: resource.description,
    type: 'object',
    properties,
    ...(required.length ? { required } : {}),
  };
}

/** The name of the view a list item has when its organization's ip_allowlist closes it to the caller. */
export function restrictedSchemaName(resource: ResourceDescription): string | undefined {
  return resource.properties[IP_RESTRICTED] ? `${resource.name}Restricted` : undefined;
}

/** That view: its identifiers and ip_restricted, nothing else (see ipRestrictedProperty). */
function restrictedSchema(resource: ResourceDescription): JsonSchema {
  const { '@id': id, '@type': type } = jsonLdKeywords(resource);
  const kept = Object.entries(resource.properties).filter(([key, p]) => p.identifier || key === IP_RESTRICTED);
  const properties = { '@id': id, '@type': type, ...Object.fromEntries(kept.map(([key, p]) => [key, propertySchema(p)])) };
  return { title: `${resource.title} (identifiers only)`, description: resource.properties[IP_RESTRICTED].description, type: 'object', properties, required: Object.keys(properties) };
}

/** What a list of this resource holds: the resource, or its identifiers-only view where it has one. */
export function memberSchema(resource: ResourceDescription): JsonSchema {
  const restricted = restrictedSchemaName(resource);
  return restricted ? { oneOf: [schemaRef(resource.name), schemaRef(restricted)] } : schemaRef(resource.name);
}

/** A partner embedded where it acted or was acted upon (partner-node.ts): its own values, none of its links. */
function embeddedPartnerSchema(): JsonSchema {
  const own = Object.entries(partnerDescription.properties).filter(([, p]) => !p.link);
  return {
    title: 'Embedded partner',
    description: 'A partner as it appears inside another resource: who sent, accepted or revoked an invitation, who is installed, who made a change.',
    type: 'object',
    properties: { '@type': { type: 'string', const: partnerDescription.name, readOnly: true }, ...Object.fromEntries(own.map(([key, p]) => [key, propertySchema(p)])) },
    required: ['@type', ...own.filter(([, p]) => alwaysSent(p)).map(([key]) => key)],
  };
}

/**
 * Every problem is typed Error but a 422, typed ConstraintViolationList alone (a subclass of
 * hydra:Error in the documentation), which has Error's properties too.
 */
function problemSchemas(): Record<string, JsonSchema> {
  const error = outputSchema(errorDescription);
  const list = outputSchema(constraintViolationListDescription);
  const { '@id': _problemsHaveNoId, ...errorProperties } = error.properties as Record<string, JsonSchema>;
  const { violations, violation_count, '@type': listType, '@context': listContext } = list.properties as Record<string, JsonSchema>;
  return {
    [errorDescription.name]: { ...error, properties: errorProperties },
    [constraintViolationListDescription.name]: {
      ...list,
      properties: { ...errorProperties, '@context': listContext, '@type': listType, violations, violation_count },
      required: [...new Set([...((error.required as string[]) ?? []).filter((k) => k !== '@id'), 'violations', 'violation_count'])],
    },
  };
}

/** The schemas of schemas/, for every body some operation expects, without their own `$id` and `$schema`. */
export function inputSchemas(resources: ResourceDescription[]): Record<string, JsonSchema> {
  const byName = new Map(resources.map((r) => [r.name, r]));
  const schemas: Record<string, JsonSchema> = {};
  for (const route of resources.filter(isAddressable).flatMap(routesOf)) {
    for (const [method, operation] of Object.entries(route.operations) as [HttpMethod, { expects?: string }][]) {
      if (!operation.expects) continue;
      const resource = byName.get(operation.expects);
      if (!resource) throw new Error(`${method} ${route.path} expects ${operation.expects}, which is not described`);
      // Refs inside components resolve against the OpenAPI document, not against the file's own $id.
      const { $id: _fileName, $schema: _dialect, ...schema } = buildInputSchema(resource, inputMode(method));
      schemas[inputSchemaName(resource, method)] = schema;
    }
  }
  return schemas;
}

/** What each resource looks like as the API sends it, problems included. */
export function resourceSchemas(resources: ResourceDescription[]): Record<string, JsonSchema> {
  const restricted = resources.flatMap((r) => {
    const name = restrictedSchemaName(r);
    return name ? [[name, restrictedSchema(r)]] : [];
  });
  return {
    ...Object.fromEntries(resources.map((r) => [r.name, outputSchema(r)])),
    ...Object.fromEntries(restricted),
    EmbeddedPartner: embeddedPartnerSchema(),
    ...problemSchemas(),
  };
}
