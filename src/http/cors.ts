import corsMiddleware from 'cors';
import type { RequestHandler } from 'express';

/** Request headers a browser client may send. */
const ALLOWED_HEADERS = ['Accept', 'Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'If-None-Match', 'Prefer', 'X-API-Key', 'X-Request-Id'];

/** Response headers a browser client may read: hypermedia links, where a new resource is, versions, preferences applied, limits. */
const EXPOSED_HEADERS = ['Link', 'Location', 'ETag', 'Allow', 'Preference-Applied', 'Retry-After', 'WWW-Authenticate', 'X-Request-Id', 'RateLimit', 'RateLimit-Policy', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];

/**
 * CORS with the `cors` package. `*` (the default) lets any page call the API: safe here
 * because credentials are bearer tokens a page must hold itself, never cookies. A list
 * restricts it to those origins; other origins get no Access-Control-Allow-Origin.
 */
export function cors(origins: '*' | string[]): RequestHandler {
  return corsMiddleware({
    origin: origins === '*' ? '*' : origins,
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
}
