import type { NextFunction, Request, Response } from 'express';
import { contextPath, type ResourceDescription, PREFIXES, writableProperties } from '../resources/description.js';
import type { Violation } from '../problems/app-error.js';
import { schemaId, type SchemaMode } from '../generators/json-schema.js';
import { absolute } from './base-url.js';
import { applyHandling, type Handling } from './input-handling.js';
import { invalid, type InputValidator } from './input-validator.js';
import { setOwn } from './own-keys.js';
import { needsNormalization, normalizeInput } from './normalize-input.js';

const MERGE_PATCH = 'application/merge-patch+json';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Our own context, by path or absolute URL. */
function ownContexts(req: Request, resource: ResourceDescription): string[] {
  return [contextPath(resource.name), absolute(req, contextPath(resource.name))];
}

/** After normalization @context is gone; a merge patch may still carry one, and only ours is read. */
function keywordViolations(ours: string[], resource: ResourceDescription, body: Record<string, unknown>): Violation[] {
  const violations: Violation[] = [];
  const context = body['@context'];
  if (context !== undefined && !(typeof context === 'string' && ours.includes(context))) {
    violations.push({ propertyPath: '@context', code: 'unsupported_context', message: 'Only this resource\'s own context is accepted.', hint: `Send "@context": "${ours[0]}", or no @context at all.` });
  }
  const type = body['@type'];
  const types = [resource.name, resource.iri?.replace(/^(\w+):/, (_, p: keyof typeof PREFIXES) => PREFIXES[p] ?? `${p}:`)];
  if (type !== undefined && !types.includes(type as string)) {
    violations.push({ propertyPath: '@type', code: 'invalid_type', message: `This body must describe a ${resource.name}.`, hint: `Send "@type": "${resource.name}" or leave it out.` });
  }
  return violations;
}

/**
 * The properties validation reads, trimmed where the description says so. With lenient handling,
 * only those the client may write in this mode: the others are ignored (see input-handling.ts);
 * with strict handling, all of them, so the schema refuses those it may not write.
 */
function propertiesToRead(resource: ResourceDescription, writable: Set<string>, handling: Handling, body: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith('@') || (handling === 'lenient' && !writable.has(key))) continue;
    setOwn(input, key, resource.properties[key]?.trim && typeof value === 'string' ? value.trim() : value);
  }
  return input;
}

/** Merge patches are plain JSON; a JSON-LD body in another form than our compacted one is normalized first. */
async function bodyInOurTerms(req: Request, resource: ResourceDescription, ours: string[], handling: Handling): Promise<unknown> {
  const body: unknown = req.body;
  if (!needsNormalization(body, ours) || req.is(MERGE_PATCH)) return body;
  return normalizeInput(req, resource, body, handling);
}

/**
 * Reads a create or merge-patch body in the resource's own terms, validates it against
 * its JSON Schema from schemas/ and leaves it on `res.locals.input`; 422 lists every violation.
 * The same rule for every POST and PATCH: what the client may not write is ignored, or, with
 * `Prefer: handling=strict`, refused.
 */
export function readInput(resource: ResourceDescription, mode: SchemaMode, validator: InputValidator) {
  const schema = schemaId(resource, mode);
  const writable = new Set(writableProperties(resource, mode));
  return async (req: Request, res: Response, next: NextFunction) => {
    const handling = applyHandling(req, res);
    const ours = ownContexts(req, resource);
    const body = await bodyInOurTerms(req, resource, ours, handling);
    if (!isObject(body)) return next(invalid(validator.check(schema, body)));
    const input = propertiesToRead(resource, writable, handling, body);
    const violations = [...keywordViolations(ours, resource, body), ...validator.check(schema, input)];
    if (violations.length) return next(invalid(violations));
    res.locals.input = input;
    next();
  };
}
