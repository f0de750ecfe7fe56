import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Router, type Request, type Response } from 'express';
import { buildApiDocumentation } from '../generators/api-documentation.js';
import { buildOpenApi } from '../generators/openapi.js';
import { CONTEXTS_DIR } from '../project-root.js';
import { notFound } from '../problems/app-error.js';
import { resourceNode } from '../linked-data/links.js';
import { API_PREFIX, contextPath } from '../resources/description.js';
import { entrypointDescription } from '../resources/entrypoint/entrypoint.description.js';
import { resources } from '../resources/registry.js';
import { API_DOCUMENTATION_PATH } from './api-documentation-link.js';
import { methodNotAllowed, mountResource, type MountOptions } from './mount-operations.js';
import { negotiate } from './negotiate.js';
import { baseUrl } from './base-url.js';
import { problemTypePages } from './problem-type-pages.js';
import { sendRepresentation, withContext } from './representation.js';

const CACHE = 'public, max-age=300';

/** Contexts are served exactly as committed in contexts/, read once at start. */
function loadContexts(): Map<string, string> {
  const files = readdirSync(CONTEXTS_DIR).filter((f) => f.endsWith('.jsonld'));
  return new Map(files.map((f) => [path.basename(f, '.jsonld'), readFileSync(path.join(CONTEXTS_DIR, f), 'utf8')]));
}

function sendCached(res: Response, type: string, body: string): void {
  // Express adds an ETag and answers If-None-Match with 304 by itself.
  res.setHeader('Cache-Control', CACHE);
  res.type(type).send(body);
}

/** What a client needs before it has a token: entrypoint, documentation, contexts, problem types. */
export function discoveryRouter(options: MountOptions): Router {
  const router = Router();
  const contexts = loadContexts();
  const documentation = JSON.stringify(buildApiDocumentation(resources));
  const entrypoint = withContext(entrypointDescription, {
    // Every link the description declares (the collections, the caller).
    ...resourceNode(entrypointDescription, {}, {}),
    // Hydra's own property, so not one of ours in the documentation (API Platform's parser expects only collections there).
    'hydra:apiDocumentation': API_DOCUMENTATION_PATH,
  });

  router.get('/', (_req, res) => res.redirect(302, API_PREFIX));
  mountResource(router, entrypointDescription, { item: { GET: async ({ req, res }) => sendRepresentation(req, res, 200, entrypoint) } }, options);

  router.route(API_DOCUMENTATION_PATH).get(negotiate, (_req, res) => sendCached(res, 'application/ld+json', documentation)).all(methodNotAllowed('GET, HEAD'));

  // Serialized once; each answer only puts the server it was read through (or PUBLIC_ORIGIN) in front.
  const openApi = JSON.stringify(buildOpenApi(resources));
  const withServer = (origin: string) => `{"servers":${JSON.stringify([{ url: origin, description: 'This deployment of the API.' }])},${openApi.slice(1)}`;
  router.route(`${API_PREFIX}/docs.json`).get((req, res) => sendCached(res, 'application/json', withServer(baseUrl(req)))).all(methodNotAllowed('GET, HEAD'));

  router
    .route(contextPath(':name'))
    .get((req: Request, res: Response) => {
      const context = contexts.get(String(req.params.name));
      if (!context) throw notFound('context');
      sendCached(res, 'application/ld+json', context);
    })
    .all(methodNotAllowed('GET, HEAD'));

  router.use(problemTypePages());
  return router;
}
