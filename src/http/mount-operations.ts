import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { Database } from '../persistence/database.js';
import { AppError } from '../problems/app-error.js';
import { API_PREFIX, routesOf, type HttpMethod, type OperationDescription, type Operations, type ResourceDescription, type Route } from '../resources/description.js';
import { bodyTypes, isMergePatch, isPublic, isRetrySafe, type OperationSite } from './contract/site.js';
import type { Caller } from '../resources/partner/partner-use-cases.js';
import { requireCaller, requireScope } from './authenticate.js';
import { idempotency, rememberFingerprint } from './idempotency.js';
import { readJsonBody, type BodyLimits } from './json-body.js';
import type { InputValidator } from '../input/input-validator.js';
import { mergePatch, type MergePatch } from '../input/merge-patch.js';
import { refuseComplexStructure } from './json-structure.js';
import { negotiate, requireContentType } from './negotiate.js';
import { readInput } from './read-input.js';
import type { RouteTable } from './route-table.js';

export interface OperationContext {
  req: Request;
  res: Response;
  db: Database;
  /** The partner behind the token, with the token's scopes (an installed integration acts within them too). */
  caller: Caller;
  input: Record<string, unknown>;
  /** On a PATCH: what the merge patch changes in the current values the use case reads (src/input/merge-patch.ts). */
  patch?: MergePatch;
}

export type OperationHandler = (context: OperationContext) => Promise<void>;

export type OperationHandlers = Partial<Record<HttpMethod, OperationHandler>>;

export interface ResourceHandlers {
  collection?: OperationHandlers;
  item?: OperationHandlers;
  /** Handlers of the resource's action links (e.g. an invitation's `accept`), by property name. */
  links?: Record<string, OperationHandlers>;
}


export interface MountOptions {
  db: Database;
  validator: InputValidator;
  body: BodyLimits;
  /** Where the routes are also found in one look-up (src/http/route-table.ts). */
  table?: RouteTable;
}


function allowHeader(operations: Operations): string {
  const methods = Object.keys(operations);
  return (methods.includes('GET') ? [...methods, 'HEAD'] : methods).join(', ');
}

/** express.json's hook on the raw bytes: refused when too deep or too large in values, else fingerprinted for Idempotency-Key. */
function readBodyBytes(req: IncomingMessage, res: ServerResponse, bytes: Buffer): void {
  refuseComplexStructure(req, res, bytes);
  rememberFingerprint(req, res, bytes);
}

/** Every PATCH is a merge patch: what it changes is computed by one step, against the values the use case reads. */
function mergePatchStep(resource: ResourceDescription, validator: InputValidator): RequestHandler {
  return (_req, res, next) => {
    res.locals.patch = mergePatch(resource, validator, res.locals.input);
    next();
  };
}

/**
 * The steps every operation runs: negotiate -> authenticate -> read and validate input ->
 * merge patch (PATCH) -> handler. Which apply to an operation is decided by the same predicates as its contract
 * (src/http/contract), so what is documented and what runs cannot drift apart.
 */
function operationChain(site: OperationSite, handler: OperationHandler, options: MountOptions): RequestHandler[] {
  const { resource, method, operation } = site;
  const steps: RequestHandler[] = [negotiate];
  if (!isPublic(site)) steps.push(requireCaller);
  if (operation.scope) steps.push(requireScope(operation.scope));
  // Retries of a POST are answered from the first answer. Right before the handler, whose work
  // runs in the transaction that claims the key (res.locals.db). After validation: a body the
  // schema refuses claims no key (a retry is refused again), and no JSON-LD body is normalized
  // while that transaction, SQLite's one write transaction, is open.
  const retrySafe = isRetrySafe(site) ? [idempotency(options.db)] : [];
  if (operation.expects) {
    steps.push(
      requireContentType(bodyTypes(site)),
      // The body's depth and size are bounded on its bytes, before JSON.parse and every later
      // step; the idempotency fingerprint is taken of the same bytes, so nothing recursive reads it.
      readJsonBody({ ...options.body, verify: readBodyBytes }),
      readInput(resource, method === 'POST' ? 'create' : 'update', options.validator),
    );
    if (isMergePatch(site)) steps.push(mergePatchStep(resource, options.validator));
  }
  steps.push(...retrySafe);
  steps.push(async (req, res) =>
    handler({ req, res, db: (res.locals.db as Database | undefined) ?? options.db, caller: res.locals.caller, input: res.locals.input, patch: res.locals.patch }),
  );
  return steps;
}

/**
 * Routes come from the description: each documented operation gets its chain, and every
 * other method on the same path is a 405 whose Allow header lists the documented ones.
 */
export function mountOperations(router: Router, route: Route, resource: ResourceDescription, handlers: OperationHandlers, options: MountOptions): void {
  const mounted = router.route(API_PREFIX + route.path);
  for (const [method, operation] of Object.entries(route.operations) as [HttpMethod, OperationDescription][]) {
    const handler = handlers[method];
    if (!handler) throw new Error(`${resource.name} documents ${method} ${route.path} but has no handler for it`);
    mounted[method.toLowerCase() as 'get'](...operationChain({ resource, route, method, operation }, handler, options));
  }
  mounted.all(methodNotAllowed(allowHeader(route.operations)));
  options.table?.add(API_PREFIX + route.path, mounted);
}

/** Every route of a resource (collection, action links, item) at the path its description gives. */
export function mountResource(router: Router, resource: ResourceDescription, handlers: ResourceHandlers, options: MountOptions): void {
  for (const route of routesOf(resource)) {
    const scoped = route.target === 'collection' || route.target === 'item' ? handlers[route.target] : handlers.links?.[route.target];
    mountOperations(router, route, resource, scoped ?? {}, options);
  }
}

export function methodNotAllowed(allow: string): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    next(new AppError('method-not-allowed', `${req.method} is not supported here; use ${allow}.`, { headers: { Allow: allow } }));
  };
}
