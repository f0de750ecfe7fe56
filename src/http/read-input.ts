import type { NextFunction, Request, Response } from 'express';
import { contextPath, type ResourceDescription, PREFIXES } from '../resources/description.js';
import type { Violation } from '../problems/app-error.js';
import { schemaId, type SchemaMode } from '../generators/json-schema.js';
import { absolute } from './base-url.js';
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

function trimmed(resource: ResourceDescription, body: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith('@')) continue;
    setOwn(input, key, resource.properties[key]?.trim && typeof value === 'string' ? value.trim() : value);
  }
  return input;
}

/** Merge patches are plain JSON; a JSON-LD body in another form than our compacted one is normalized first. */
async function bodyInOurTerms(req: Request, resource: ResourceDescription, ours: string[]): Promise<unknown> {
  const body: unknown = req.body;
  if (!needsNormalization(body, ours) || req.is(MERGE_PATCH)) return body;
  return normalizeInput(req, resource, body);
}

/**
 * Reads a create or merge-patch body in the resource's own terms, validates it against
 * its JSON Schema from schemas/ and leaves it on `res.locals.input`; 422 lists every violation.
 */
export function readInput(resource: ResourceDescription, mode: SchemaMode, validator: InputValidator) {
  const schema = schemaId(resource, mode);
  return async (req: Request, res: Response, next: NextFunction) => {
    const ours = ownContexts(req, resource);
    const body = await bodyInOurTerms(req, resource, ours);
    if (!isObject(body)) return next(invalid(validator.check(schema, body)));
    const input = trimmed(resource, body);
    const violations = [...keywordViolations(ours, resource, body), ...validator.check(schema, input)];
    if (violations.length) return next(invalid(violations));
    res.locals.input = input;
    next();
  };
}
