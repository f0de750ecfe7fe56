import { Router, type Request, type Response } from 'express';
import { notFound } from '../problems/app-error.js';
import { PROBLEM_TYPES, type ProblemSlug } from '../problems/problem-types.js';
import { violationCodesOf } from '../problems/violation.js';
import { contextPath } from '../resources/description.js';
import { methodNotAllowed } from './mount-operations.js';
import { negotiate } from './negotiate.js';
import { PROBLEM_TYPES_PATH } from './problem-response.js';
import { sendRepresentation, type JsonLdNode } from './representation.js';

const CACHE = 'public, max-age=300';

/** What a problem's `type` URL leads to: the kind of problem, described in words, and the violation codes it may list. */
function problemType(slug: ProblemSlug): JsonLdNode {
  const { status, title, description } = PROBLEM_TYPES[slug];
  const codes = violationCodesOf(slug);
  return { '@id': `${PROBLEM_TYPES_PATH}/${slug}`, title, status, detail: description, ...(codes.length ? { violation_codes: codes } : {}) };
}

const SLUGS = Object.keys(PROBLEM_TYPES) as ProblemSlug[];

/**
 * Every problem type, each linking its own page, so a client (or a person in the explorer)
 * can learn them all without meeting each one first. Listed in the order of PROBLEM_TYPES,
 * all on one page: there are a few dozen and they change only with a release.
 */
const INDEX: JsonLdNode = {
  '@context': contextPath('Error'),
  '@id': PROBLEM_TYPES_PATH,
  '@type': 'hydra:Collection',
  title: 'Problem types',
  'hydra:totalItems': SLUGS.length,
  'hydra:member': SLUGS.map(problemType),
};

function send(req: Request, res: Response, document: JsonLdNode): void {
  res.setHeader('Cache-Control', CACHE);
  sendRepresentation(req, res, 200, document);
}

/** `/api/errors` and `/api/errors/<slug>`: public, in JSON-LD or JSON (a browser gets the explorer's page of them). */
export function problemTypePages(): Router {
  const router = Router();
  router.route(PROBLEM_TYPES_PATH).get(negotiate, (req, res) => send(req, res, INDEX)).all(methodNotAllowed('GET, HEAD'));
  router
    .route(`${PROBLEM_TYPES_PATH}/:slug`)
    .get(negotiate, (req: Request, res: Response) => {
      const slug = String(req.params.slug);
      if (!Object.hasOwn(PROBLEM_TYPES, slug)) throw notFound('problem type');
      // The page's @id stays the URL asked for, as before (a trailing slash or a prefix behind a proxy included).
      send(req, res, { '@context': contextPath('Error'), ...problemType(slug as ProblemSlug), '@id': req.originalUrl });
    })
    .all(methodNotAllowed('GET, HEAD'));
  return router;
}
