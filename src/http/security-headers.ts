import type { Request, RequestHandler, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

type Headers = ReadonlyArray<readonly [string, string]>;

/** Resources may be read cross-origin: CORS, not Cross-Origin-Resource-Policy, decides which pages may. */
const CROSS_ORIGIN_READS = { policy: 'cross-origin' } as const;
const OVER_HTTPS: HelmetOptions = { crossOriginResourcePolicy: CROSS_ORIGIN_READS };

/**
 * Over plain HTTP, none of what only HTTPS can honour. `upgrade-insecure-requests` makes a
 * browser fetch the explorer's own scripts over https, which fails when the service answers
 * only http (opened by the machine's address: browsers exempt only localhost). Browsers ignore
 * Strict-Transport-Security over http, and Cross-Origin-Opener-Policy from an origin that is
 * not https or localhost, where Chromium logs an error on every page for it.
 */
const OVER_HTTP: HelmetOptions = {
  crossOriginResourcePolicy: CROSS_ORIGIN_READS,
  strictTransportSecurity: false,
  crossOriginOpenerPolicy: false,
  contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
};

/** The headers helmet sets with these options, recorded once: they are the same for every request. */
function recordHeaders(options: HelmetOptions): Headers {
  const headers: [string, string][] = [];
  const recorder = { setHeader: (name: string, value: unknown) => headers.push([name, String(value)]), removeHeader: () => undefined };
  helmet(options)({} as Request, recorder as unknown as Response, () => undefined);
  return headers;
}

/**
 * Helmet's defaults on every response, errors included: nosniff, frame denial, a restrictive
 * Content-Security-Policy; HSTS, `upgrade-insecure-requests` and Cross-Origin-Opener-Policy only
 * when the request came over HTTPS, directly or through a proxy TRUST_PROXY trusts (`req.secure`). Both sets are computed
 * at start, so each response only copies one (running helmet per request was 8% of a GET's CPU time).
 */
export function securityHeaders(): RequestHandler {
  const overHttps = recordHeaders(OVER_HTTPS);
  const overHttp = recordHeaders(OVER_HTTP);
  return (req, res, next) => {
    for (const [name, value] of req.secure ? overHttps : overHttp) res.setHeader(name, value);
    next();
  };
}
