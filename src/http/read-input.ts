import type { NextFunction, Request, Response } from 'express';
import type { SchemaMode } from '../generators/json-schema.js';
import type { InputValidator } from '../input/input-validator.js';
import { needsNormalization, normalizeInput } from '../input/normalize-input.js';
import { resourceInput } from '../input/resource-input.js';
import { contextPath, type ResourceDescription } from '../resources/description.js';
import { absolute } from './base-url.js';
import { applyHandling, type Handling } from './input-handling.js';

const MERGE_PATCH = 'application/merge-patch+json';

/** Our own context, by path or absolute URL. */
function ownContexts(req: Request, resource: ResourceDescription): string[] {
  return [contextPath(resource.name), absolute(req, contextPath(resource.name))];
}

/** Merge patches are plain JSON; a JSON-LD body in another form than our compacted one is normalized first. */
async function bodyInOurTerms(req: Request, resource: ResourceDescription, ours: string[], handling: Handling): Promise<unknown> {
  const body: unknown = req.body;
  if (!needsNormalization(body, ours) || req.is(MERGE_PATCH)) return body;
  return normalizeInput(absolute(req, req.originalUrl), resource, body, handling);
}

/**
 * The HTTP side of reading a create or merge-patch body: the handling its Prefer header asks
 * for, its JSON-LD form normalized against the request's URL, then src/input's reading and
 * validation; the input is left on `res.locals.input`, a 422 goes to the error handler.
 */
export function readInput(resource: ResourceDescription, mode: SchemaMode, validator: InputValidator) {
  const read = resourceInput(resource, mode, validator);
  return async (req: Request, res: Response, next: NextFunction) => {
    const handling = applyHandling(req, res);
    const ours = ownContexts(req, resource);
    res.locals.input = read(await bodyInOurTerms(req, resource, ours, handling), { handling, ownContexts: ours });
    next();
  };
}
