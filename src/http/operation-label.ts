import type { Express, Request } from 'express';
import { pathToRegexp } from 'path-to-regexp';

/** The label of every request no route or mounted path of the app matches: one value, whatever the path. */
export const UNMATCHED = 'unmatched';

interface Template {
  /** `/api/organizations/{id}`, or `/api/explorer/*` for what a middleware serves below a path. */
  readonly path: string;
  readonly matches: RegExp;
}

/** The parts of Express's router (the `router` package) read here: each layer's route or mounted router, and its path. */
interface Layer {
  route?: { path: string };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

interface Routes {
  byRoute: WeakMap<object, string>;
  templates: Template[];
}

const displayed = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/**
 * Every path the app routes, in the router's order: route paths as written (`:id` shown as
 * OpenAPI's `{id}`), and paths a middleware is mounted at (the explorer's files) as `path/*`.
 * Read from the router itself once it is complete, so no second list of routes is kept.
 */
function readRoutes(stack: Layer[], found: Routes, prefix = ''): Routes {
  for (const layer of stack) {
    const mountedAt = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
    if (layer.route) {
      const path = prefix + layer.route.path;
      found.byRoute.set(layer.route, displayed(path));
      found.templates.push({ path: displayed(path), matches: pathToRegexp(path, { end: true }).regexp });
    } else if (layer.handle?.stack) {
      readRoutes(layer.handle.stack, found, prefix + mountedAt);
    } else if (mountedAt) {
      const path = prefix + mountedAt;
      found.templates.push({ path: `${displayed(path)}/*`, matches: pathToRegexp(path, { end: false }).regexp });
    }
  }
  return found;
}

/**
 * `GET /api/organizations/{id}`: the route template a request was for, never its raw path, so
 * that metrics have as many series as the API has operations. A request that reached its route
 * names it (req.route); one refused before (a 429, a 421, a declared oversized body) is matched
 * against the app's templates; anything else is `unmatched`. Routes are read on first need.
 */
export function operationLabeler(app: Express): (req: Request) => string {
  let routes: Routes | undefined;
  return (req) => {
    routes ??= readRoutes((app.router as unknown as { stack: Layer[] }).stack, { byRoute: new WeakMap(), templates: [] });
    const route = req.route ? routes.byRoute.get(req.route) : undefined;
    if (route !== undefined) return `${req.method} ${route}`;
    // The path as the router matched it: before any mount point was taken off, without the query.
    const path = req.originalUrl.split('?', 1)[0];
    const template = routes.templates.find((t) => t.matches.test(path));
    return template ? `${req.method} ${template.path}` : UNMATCHED;
  };
}
