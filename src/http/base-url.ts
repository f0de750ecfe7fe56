import type { Request } from 'express';

/** `http://host:port` as the client addressed us (behind a proxy, with TRUST_PROXY set). */
export function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

export function absolute(req: Request, path: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(path) ? path : baseUrl(req) + path;
}
