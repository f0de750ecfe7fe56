import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { AppError } from '../problems/app-error.js';
import type { ServiceMetrics } from './metrics.js';
import { methodNotAllowed } from './mount-operations.js';

export const METRICS_PATH = '/metrics';

const CHALLENGE = 'Bearer realm="metrics"';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compared as digests of equal length, in constant time: the answer tells nothing of how much of a guess was right. */
function bearerMatcher(token: string): (req: Request) => boolean {
  const expected = digest(token);
  return (req) => {
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
    return presented !== undefined && timingSafeEqual(digest(presented), expected);
  };
}

/**
 * GET /metrics in Prometheus's text format, outside /api and apart from partners' tokens: it
 * answers only `Authorization: Bearer <METRICS_TOKEN>` (anything else is a 401), and the app
 * mounts it only when METRICS_TOKEN is set (else /metrics is a 404 like any unknown path).
 */
export function metricsEndpoint(metrics: ServiceMetrics, token: string): Router {
  const authorized = bearerMatcher(token);
  const router = Router();
  router
    .route(METRICS_PATH)
    .get(async (req: Request, res: Response, next: NextFunction) => {
      if (!authorized(req)) {
        const detail = req.get('authorization') ? 'The token is not the METRICS_TOKEN of this instance.' : 'Metrics need the METRICS_TOKEN of this instance: send Authorization: Bearer <token>.';
        return next(new AppError('unauthorized', detail, { headers: { 'WWW-Authenticate': CHALLENGE } }));
      }
      const body = await metrics.registry.metrics();
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Type', metrics.registry.contentType);
      res.send(body);
    })
    .all(methodNotAllowed('GET, HEAD'));
  return router;
}
