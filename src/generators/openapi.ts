import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root.js';
import { VOCABULARY, type ResourceDescription } from '../resources/description.js';
import { REQUEST_HEADERS, RESPONSE_HEADERS } from '../http/contract/headers.js';
import { buildPaths, CALLER_SECURITY } from './openapi-paths.js';
import { collectionSchemas } from './openapi-collections.js';
import { inputSchemas, isAddressable, resourceSchemas } from './openapi-schemas.js';

const PACKAGE_VERSION = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer', description: 'A partner token, as Authorization: Bearer <token>.' },
  apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The same partner token, as X-API-Key: <token>.' },
};

/** The other JSON-LD shapes of every success (Accept: application/ld+json; profile=…): node objects, not described key by key. */
const PROFILE_SCHEMAS = {
  ExpandedJsonLd: { type: 'array', description: 'The representation in JSON-LD expanded form: full IRIs, every value in an array.', items: { type: 'object' } },
  FlattenedJsonLd: {
    type: 'object',
    description: 'The representation in JSON-LD flattened form: every node at the top of @graph, compacted in its context.',
    required: ['@graph'],
    properties: { '@context': { description: 'The context the nodes are compacted in.' }, '@graph': { type: 'array', items: { type: 'object' } } },
  },
};

/**
 * The OpenAPI 3.1 document served at /api/docs.json, generated from the same descriptions
 * as the contexts, the JSON Schemas and the Hydra documentation. `servers` is added as it is
 * served (src/http/discovery.ts): PUBLIC_ORIGIN, or the origin the document was read through.
 */
export function buildOpenApi(resources: ResourceDescription[], version = PACKAGE_VERSION): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Linked Orgs API',
      version,
      description:
        'Organizations, their members and invitations, as JSON-LD with Hydra controls (application/ld+json) or plain JSON. ' +
        'Errors are RFC 9457 problem documents; /api/errors lists every problem type. A query parameter an operation does not list ' +
        '(an unknown order[…] key included) is ignored, as API Platform does; a listed one with a bad value is a 400. ' +
        'The Hydra documentation of the same API is at /api/docs.jsonld. ' +
        `Terms that are neither schema.org's nor Hydra's are in the Linked Orgs vocabulary, ${VOCABULARY}<term>, the same for every deployment; /api/docs.jsonld describes each.`,
    },
    tags: resources.filter(isAddressable).map((r) => ({ name: r.name, description: r.description })),
    security: CALLER_SECURITY,
    paths: buildPaths(resources),
    components: {
      schemas: { ...resourceSchemas(resources), ...collectionSchemas(resources), ...inputSchemas(resources), ...PROFILE_SCHEMAS },
      parameters: REQUEST_HEADERS,
      headers: RESPONSE_HEADERS,
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}
