import type { NextFunction, Request, Response } from 'express';
import type { Database } from '../persistence/database.js';
import { AppError } from '../problems/app-error.js';
import { authenticate as findPartner, type Caller } from '../resources/partner/partner-use-cases.js';
import type { Scope } from '../resources/partner/scopes.js';

const CHALLENGE = 'Bearer realm="linked-orgs"';

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
    if ((res.locals.caller as Caller).scopes.includes(scope)) return next();
    next(
      new AppError('insufficient-scope', `This operation needs a token with the ${scope} scope; this token has ${(res.locals.caller as Caller).scopes.join(', ')}.`, {
        headers: { 'WWW-Authenticate': `${CHALLENGE}, error="insufficient_scope", scope="${scope}"` },
      }),
    );
  };
}

/** Puts the calling partner on `res.locals.caller`, or answers 401 with a Bearer challenge. */
export function authenticate(db: Database) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = presentedToken(req);
    if (token === undefined) {
      return next(new AppError('unauthorized', 'This operation needs a token: send Authorization: Bearer <token> or X-API-Key: <token>.', { headers: { 'WWW-Authenticate': CHALLENGE } }));
    }
    const caller = token ? await findPartner(db, token) : undefined;
    if (!caller) {
      req.log.warn('authentication failed: unknown, revoked or expired token');
      return next(new AppError('unauthorized', 'The token is unknown, revoked or expired.', { headers: { 'WWW-Authenticate': `${CHALLENGE}, error="invalid_token"` } }));
    }
    res.locals.caller = caller;
    next();
  };
}
