import type { Express, Request } from 'express';

/** Where absolute links point, set once by buildApp from PUBLIC_ORIGIN and ALLOWED_HOSTS. */
export interface Origins {
  /** `https://api.example.com`: every absolute link starts with it, whatever the request says. */
  publicOrigin?: string;
  /** Host names (lower case, no port) the API answers for; empty means any. */
  allowedHosts: string[];
}

const SETTING = 'linked-orgs origins';

export function setOrigins(app: Express, origins: Origins): void {
  app.set(SETTING, origins);
}

function originsOf(req: Request): Origins {
  return (req.app?.get(SETTING) as Origins | undefined) ?? { allowedHosts: [] };
}

/** The host the client asked for (Host, or X-Forwarded-Host behind a trusted proxy) is one ALLOWED_HOSTS names. */
export function isAllowedHost(req: Request): boolean {
  const { allowedHosts } = originsOf(req);
  return allowedHosts.length === 0 || allowedHosts.includes((req.hostname ?? '').toLowerCase());
}

export function allowedHosts(req: Request): string[] {
  return originsOf(req).allowedHosts;
}

/**
 * `https://host[:port]` of absolute links: PUBLIC_ORIGIN when set (production should set it),
 * else as the client addressed us (behind a proxy, with TRUST_PROXY set, its scheme), which
 * suits local use. A Host that ALLOWED_HOSTS refuses is never echoed, not even in the refusal.
 */
export function baseUrl(req: Request): string {
  const { publicOrigin, allowedHosts: hosts } = originsOf(req);
  if (publicOrigin) return publicOrigin;
  const host = isAllowedHost(req) ? req.get('host') : hosts[0];
  return `${req.protocol}://${host ?? 'localhost'}`;
}

export function absolute(req: Request, path: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(path) ? path : baseUrl(req) + path;
}
