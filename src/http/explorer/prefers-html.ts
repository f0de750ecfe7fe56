import type { Request } from 'express';

/**
 * A browser navigating: text/html named in Accept and not outranked by JSON-LD or JSON.
 * A bare wildcard (curl, most HTTP libraries) keeps getting JSON-LD: it names no text/html,
 * and on a tie the API's own formats come first.
 */
export function prefersHtml(req: Request): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const accept = req.get('accept');
  if (!accept || !/(^|,)\s*text\/html\s*(;|,|$)/i.test(accept)) return false;
  return req.accepts(['application/ld+json', 'application/json', 'text/html']) === 'text/html';
}
