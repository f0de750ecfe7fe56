import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { PROJECT_ROOT } from '../../project-root.js';
import { API_PREFIX } from '../../resources/description.js';
import { prefersHtml } from './prefers-html.js';

export const EXPLORER_PREFIX = `${API_PREFIX}/explorer`;

/* Plain files next to this module; resolved from the project root because tsc copies no assets to dist/. */
const ASSETS_DIR = path.join(PROJECT_ROOT, 'src', 'http', 'explorer', 'assets');
const SWAGGER_UI_DIR = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
/* Only what our page loads: the package's own index.html would point Swagger UI at the petstore. */
const SWAGGER_UI_FILES = ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png'];

/** Documents served as JSON even to a browser: OpenAPI is Swagger UI's input, contexts are read raw. */
const NOT_PAGES = /^\/api\/(docs\.json$|contexts\/|explorer\/)/;

function sendPage(body: string) {
  return (_req: Request, res: Response) => {
    res.vary('Accept').setHeader('Cache-Control', 'no-cache');
    res.type('text/html').send(body);
  };
}

/**
 * The browsable API: any API URL a browser opens gets the same static shell (it holds no data;
 * its script fetches the JSON-LD with the token from session storage), /api/docs is Swagger UI,
 * and /api/explorer/ serves the scripts and styles both load, all from this origin.
 */
export function explorerRouter(): Router {
  const router = Router();
  const shell = sendPage(readFileSync(path.join(ASSETS_DIR, 'shell.html'), 'utf8'));
  const swagger = sendPage(readFileSync(path.join(ASSETS_DIR, 'swagger.html'), 'utf8'));

  router.use(`${EXPLORER_PREFIX}/swagger-ui`, (req: Request, res: Response, next: NextFunction) => {
    if (!SWAGGER_UI_FILES.includes(req.path.slice(1))) return next();
    res.sendFile(req.path.slice(1), { root: SWAGGER_UI_DIR, maxAge: '1h' });
  });
  router.use(EXPLORER_PREFIX, express.static(ASSETS_DIR, { index: false, maxAge: 0, extensions: false, fallthrough: true }));
  router.get(`${API_PREFIX}/docs`, swagger);
  router.use((req: Request, res: Response, next: NextFunction) => {
    const isApiPath = req.path === API_PREFIX || req.path.startsWith(`${API_PREFIX}/`);
    if (isApiPath && !NOT_PAGES.test(req.path) && prefersHtml(req)) return shell(req, res);
    next();
  });
  return router;
}
