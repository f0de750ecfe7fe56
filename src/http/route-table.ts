import FindMyWay from 'find-my-way';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** What the `router` package's Route does once a layer has matched it: runs its stack for req.method (HEAD as GET, then `.all`). */
interface DispatchableRoute {
  dispatch(req: Request, res: Response, done: NextFunction): void;
}

const NO_HANDLER = () => undefined;

/**
 * The resources' routes found in one look-up. Express's router walks every layer in order
 * (the discovery routes, the problem type pages, then each route's pattern) and a GET of one
 * organization paid for each of them: in the profile of `npm run bench -- --profile get-one`,
 * Express's router was 12 % of the service's CPU time. find-my-way keeps the same routes in a
 * radix tree and hands back the very Route Express built (`router.route(path)`), whose
 * dispatch runs what Express would have run, `req.route` included (the metrics' label).
 *
 * Only exact hits are taken here: a path with a percent-encoding, another letter case or a
 * trailing slash that Express's matching accepts, or a parameter longer than find-my-way's
 * bound, is not found and goes on to the Express router holding the same routes, so what
 * those requests get (their route, a 404, a bad encoding's 400) does not change. No other
 * route of the app matches a resource's path (their paths are fixed: /api, /api/docs…,
 * /api/contexts/…, /api/errors…), so taking resource routes first changes no precedence.
 */
export class RouteTable {
  private readonly tree = FindMyWay({ caseSensitive: true, ignoreTrailingSlash: false });

  /** A route of the resources' Express router, at its Express path (`/api/organizations/:id`). */
  add(path: string, route: unknown): void {
    if (typeof (route as Partial<DispatchableRoute>).dispatch !== 'function') {
      throw new Error('The Express router\'s Route has no dispatch(req, res, done): the route table needs it (see src/http/route-table.ts)');
    }
    this.tree.all(path, NO_HANDLER, route as DispatchableRoute);
  }

  /**
   * `unrouted`: what the app does with a request no later route answers. A route whose steps
   * all pass it on (none of ours does: each ends in its handler) would, in Express's router, go
   * on to the later routes, none of which has its path, and then to that handler.
   */
  middleware(unrouted: RequestHandler): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const path = req.path;
      const found = path.includes('%') ? null : this.tree.find(req.method as FindMyWay.HTTPMethod, path);
      if (!found) return next();
      req.params = { ...found.params } as Request['params'];
      (found.store as DispatchableRoute).dispatch(req, res, (error?: unknown) => {
        if (error !== undefined && error !== 'route' && error !== 'router') return next(error);
        void unrouted(req, res, next);
      });
    };
  }
}
