import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * Helmet's defaults on every response, errors included: nosniff, frame denial, a
 * restrictive Content-Security-Policy, HSTS. Resources may be read cross-origin: CORS, not
 * Cross-Origin-Resource-Policy, decides which pages may.
 */
export function securityHeaders(): RequestHandler {
  return helmet({ crossOriginResourcePolicy: { policy: 'cross-origin' } });
}
