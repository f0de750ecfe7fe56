import type { NextFunction, Request, Response } from 'express';
import type { Database } from '../persistence/database.js';
import { AppError } from '../problems/app-error.js';
import { authenticate as findPartner, type Caller } from '../resources/partner/partner-use-cases.js';
import { BEARER_CHALLENGE, insufficientScope, type Scope } from '../resources/partner/scopes.js';

function presentedToken(req: Request): string | undefined {
  const authorization = req.get('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match ? match[1] : '';
  }
  return req.get('x-api-key')?.trim();
}

/** 403 naming the scope unless the caller's token carries it (RFC 6750 insufficient_scope). */
export function requireScope(scope: Scope) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const { scopes } = res.locals.caller as Caller;
    next(scopes.includes(scope) ? undefined : insufficientScope(scope, scopes));
  };
}

/**
 * Once per request, before rate limiting: the partner behind the presented token goes on
 * `res.locals.caller`, with the request's client address (req.ip honours TRUST_PROXY) for
 * the organizations' ip_allowlist; a missing or bad token leaves it unset (operations then answer 401).
 */
export function identifyCaller(db: Database) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = presentedToken(req);
    res.locals.presentedToken = token !== undefined;
    if (!token) return next();
    const caller = await findPartner(db, token);
    // A copy: the cached caller is shared by every request with this token.
    if (caller) res.locals.caller = { ...caller, address: req.ip };
    else req.log.warn({ address: req.ip }, 'authentication failed: unknown, revoked or expired token');
    next();
  };
}

/** 401 with a Bearer challenge unless identifyCaller found the partner. */
export function requireCaller(req: Request, res: Response, next: NextFunction): void {
  if (res.locals.caller) return next();
  if (!res.locals.presentedToken) {
    return next(new AppError('unauthorized', 'This operation needs a token: send Authorization: Bearer <token> or X-API-Key: <token>.', { headers: { 'WWW-Authenticate': BEARER_CHALLENGE } }));
  }
  next(new AppError('unauthorized', 'The token is unknown, revoked or expired.', { headers: { 'WWW-Authenticate': `${BEARER_CHALLENGE}, error="invalid_token"` } }));
}
