import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../problems/app-error.js';
import { readProfiles } from './accept-profile.js';

export type Format = 'jsonld' | 'json';

const MEDIA_TYPES: Record<string, Format> = { 'application/ld+json': 'jsonld', 'application/json': 'json' };

/** The request as Express's negotiator sees it, with another Accept header; the original is left alone. */
function withAccept(req: Request, accept: string): Request {
  return Object.create(req, { headers: { value: { ...req.headers, accept } } }) as Request;
}

/**
 * Picks JSON-LD (the default, also for * / *) or plain JSON from Accept; anything else is 406.
 * A JSON-LD profile we produce (expanded, flattened) is kept on `res.locals.profile`; only a
 * header that mentions `profile=` pays for reading it.
 */
export function negotiate(req: Request, res: Response, next: NextFunction): void {
  res.vary('Accept');
  const accept = req.get('accept');
  const profiled = accept?.includes('profile=') ? readProfiles(accept) : undefined;
  const chosen = (profiled ? withAccept(req, profiled.accept) : req).accepts(Object.keys(MEDIA_TYPES));
  if (!chosen) return next(new AppError('not-acceptable', 'This resource is available as application/ld+json or application/json.'));
  res.locals.format = MEDIA_TYPES[chosen];
  if (res.locals.format === 'jsonld' && profiled?.profile) res.locals.profile = profiled.profile;
  next();
}

/** 415 unless the body is one of the media types the operation accepts, in UTF-8. */
export function requireContentType(types: string[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const given = req.get('content-type') ?? 'none';
    const charset = /;\s*charset="?([^";]+)/i.exec(given)?.[1];
    if (charset && !/^utf-?8$/i.test(charset)) return next(new AppError('unsupported-media-type', `Bodies are UTF-8 JSON; the request says charset=${charset}.`));
    if (req.is(types)) return next();
    next(new AppError('unsupported-media-type', `This operation accepts ${types.join(' or ')}; the request says ${given}.`));
  };
}
