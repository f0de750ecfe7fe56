import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { AppError } from '../problems/app-error.js';
import type { Caller } from '../resources/partner/partner-use-cases.js';
import type { RateLimitKind } from './metrics.js';

/** Each limit governs its own requests; 0 turns that one off and leaves the other as it is. */
export interface RateLimits {
  /** Requests per minute per token; 0: requests with a valid token are not limited. */
  perCredential: number;
  /** Requests per minute per IP address for requests without a valid token; 0: they are not limited. */
  anonymous: number;
}

/**
 * The documents a client reads to understand the API (documentation, contexts, problem types),
 * health checks and the explorer's assets: static and cached, never limited. The entrypoint is
 * an operation of the OpenAPI document like the others, so it is counted like them and says so
 * with RateLimit headers (the anonymous limit is per address, and generous for discovery).
 */
const EXEMPT = /^\/(api\/docs\.json(ld)?$|api\/contexts\/|api\/errors(\/|$)|api\/explorer\/|health(\/|$))/;

/** Whether requests to this path count against a rate limit (the contract lists 429 for those). */
export const isRateLimited = (path: string): boolean => !EXEMPT.test(path);

/**
 * express-rate-limit, after the caller is identified: a fixed one-minute window per token,
 * or per IP address (IPv6 by /56) without a valid token. RateLimit-* headers (IETF draft 6)
 * on every counted response; over the limit, a 429 problem with Retry-After. Counters live
 * in each instance's memory: with N instances behind a load balancer a client gets up to N
 * times the limit, so divide the setting by N (documented in the README). Each refusal is
 * told to `refused` (the metrics count them).
 */
export function rateLimits(limits: RateLimits, refused: (limit: RateLimitKind) => void = () => undefined): RequestHandler {
  if (limits.perCredential === 0 && limits.anonymous === 0) return (_req, _res, next) => next();
  const caller = (res: Response) => res.locals.caller as Caller | undefined;
  const limitFor = (res: Response) => (caller(res) ? limits.perCredential : limits.anonymous);
  return rateLimit({
    windowMs: 60_000,
    limit: (_req, res) => limitFor(res),
    keyGenerator: (req, res) => (caller(res) ? `token:${caller(res)!.tokenId}` : `ip:${ipKeyGenerator(req.ip ?? '')}`),
    // express-rate-limit reads a limit of 0 as "refuse everything"; ours means "off", so those requests are not counted.
    skip: (req, res) => !isRateLimited(req.path) || limitFor(res) === 0,
    standardHeaders: 'draft-6',
    legacyHeaders: false,
    handler: (req: Request, res: Response, next: NextFunction) => {
      const who = caller(res) ? 'this token' : 'this address without a token';
      const limit = limitFor(res);
      refused(caller(res) ? 'per_credential' : 'anonymous');
      next(new AppError('too-many-requests', `More than ${limit} requests in a minute from ${who}; retry after the seconds in Retry-After.`, { headers: { 'Retry-After': String(res.getHeader('Retry-After') ?? 60) } }));
    },
  });
}
