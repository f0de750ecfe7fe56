import type { Request, Response } from 'express';
import { contextPath } from '../resources/description.js';
import { MAX_LISTED_VIOLATIONS, type AppError, type Violation } from '../problems/app-error.js';
import { PROBLEM_TYPES, type ProblemSlug } from '../problems/problem-types.js';
import { rootViolation } from '../problems/violation.js';
import { absolute } from './base-url.js';
import { requestPath } from './request-path.js';

export const PROBLEM_TYPES_PATH = '/api/errors';

/** An RFC 9457 problem document that is also a hydra:Error in JSON-LD. */
export function problemDocument(req: Request, slug: ProblemSlug, detail: string, violations?: Violation[]) {
  const { status, title } = PROBLEM_TYPES[slug];
  const common = {
    type: absolute(req, `${PROBLEM_TYPES_PATH}/${slug}`),
    title,
    status,
    detail,
    instance: requestPath(req.originalUrl),
    request_id: String(req.id),
  };
  // Every 422 is a ConstraintViolationList (one @type, a subclass of hydra:Error in the documentation), as the contract says: a refusal of the body as a
  // whole (too complex, a reused Idempotency-Key) is one violation at the root.
  if (!violations && status === 422) violations = [rootViolation(slug, detail)];
  if (violations) {
    const listed = violations.slice(0, MAX_LISTED_VIOLATIONS);
    return { '@context': contextPath('ConstraintViolationList'), '@type': 'ConstraintViolationList', ...common, violations: listed, violation_count: violations.length };
  }
  return { '@context': contextPath('Error'), '@type': 'Error', ...common };
}

export function sendProblem(req: Request, res: Response, error: Pick<AppError, 'slug' | 'detail' | 'extra'>): void {
  const body = problemDocument(req, error.slug, error.detail, error.extra.violations);
  for (const [name, value] of Object.entries(error.extra.headers ?? {})) res.setHeader(name, value);
  res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
}
