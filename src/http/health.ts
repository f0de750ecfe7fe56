import { Router } from 'express';
import type { Database } from '../persistence/database.js';
import { databaseUnavailable } from './error-handler.js';
import { methodNotAllowed } from './mount-operations.js';
import { AppError } from '../problems/app-error.js';
import { ServiceState } from './service-state.js';

/** Readiness must answer a load balancer quickly even when the database hangs. */
const READY_TIMEOUT_MS = 2_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout exceeded when trying to connect')), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * For load balancers, outside /api and without a token: /health says the process answers,
 * /health/ready that it can reach its database too (else a 503 problem with Retry-After)
 * and is not shutting down (else a 503 at once, so load balancers stop sending).
 */
export function healthRouter(db: Database, state = new ServiceState()): Router {
  const router = Router();
  router
    .route('/health')
    .get((_req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json({ status: 'ok' });
    })
    .all(methodNotAllowed('GET, HEAD'));
  router.route('/health/ready').get(async (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    if (state.draining) return next(new AppError('shutting-down', 'This instance is shutting down; send requests to another one.'));
    const started = process.hrtime.bigint();
    try {
      await withTimeout(db.get('SELECT 1 AS ok'), READY_TIMEOUT_MS);
    } catch {
      return next(databaseUnavailable());
    }
    res.json({ status: 'ok', database: { engine: db.engine, latency_ms: Number(process.hrtime.bigint() - started) / 1e6 } });
  }).all(methodNotAllowed('GET, HEAD'));
  return router;
}
