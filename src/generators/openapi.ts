import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root.js';
import { VOCABULARY, type ResourceDescription } from '../resources/description.js';
import { buildPaths, CALLER_SECURITY } from './openapi-paths.js';
import { collectionSchemas } from './openapi-collections.js';
import { inputSchemas, isAddressable, resourceSchemas } from './openapi-schemas.js';

const PACKAGE_VERSION = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer', description: 'A partner token, as Authorization: Bearer <token>.' },
  apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The same partner token, as X-API-Key: <token>.' },
};

/**
 * The OpenAPI 3.1 document served at /api/docs.json, generated from the same descriptions
 * as the contexts, the JSON Schemas and the Hydra documentation.
 */
export function buildOpenApi(resources: ResourceDescription[], version = PACKAGE_VERSION): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Linked Orgs API',
      version,
      description:
        'Organizations, their members and invitations, as JSON-LD with Hydra controls (application/ld+json) or plain JSON. ' +
        'Errors are RFC 9457 problem documents. The Hydra documentation of the same API is at /api/docs.jsonld. ' +
        `Terms that are neither schema.org's nor Hydra's are in the Linked Orgs vocabulary, ${VOCABULARY}<term>, the same for every deployment; /api/docs.jsonld describes each.`,
    },
    tags: resources.filter(isAddressable).map((r) => ({ name: r.name, description: r.description })),
    security: CALLER_SECURITY,
    paths: buildPaths(resources),
    components: { schemas: { ...resourceSchemas(resources), ...collectionSchemas(resources), ...inputSchemas(resources) }, securitySchemes: SECURITY_SCHEMES },
  };
}
