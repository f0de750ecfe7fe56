import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../problems/app-error.js';
import { allowedHosts, isAllowedHost } from './base-url.js';
import { METRICS_PATH } from './metrics-endpoint.js';

/** Load balancers probe instances, and Prometheus scrapes them, by address, with whatever Host that gives. */
function isProbeOfThisInstance(req: Request): boolean {
  return req.path === '/health' || req.path.startsWith('/health/') || req.path === METRICS_PATH;
}

/**
 * With ALLOWED_HOSTS set, a request naming another host is a 421 Misdirected Request, not a
 * 400: the request itself is well-formed, only addressed to an authority this server does
 * not answer for (RFC 9110 §15.5.20), and a client may send it again to the right host.
 */
export function refuseOtherHosts(req: Request, _res: Response, next: NextFunction): void {
  if (isAllowedHost(req) || isProbeOfThisInstance(req)) return next();
  next(new AppError('misdirected-request', `This server does not answer for the host this request names; it answers for ${allowedHosts(req).join(', ')}.`));
}
