import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../problems/app-error.js';

export type Format = 'jsonld' | 'json';

const MEDIA_TYPES: Record<string, Format> = { 'application/ld+json': 'jsonld', 'application/json': 'json' };

/** Picks JSON-LD (the default, also for * / *) or plain JSON from Accept; anything else is 406. */
export function negotiate(req: Request, res: Response, next: NextFunction): void {
  const chosen = req.accepts(Object.keys(MEDIA_TYPES));
  if (!chosen) return next(new AppError('not-acceptable', 'This resource is available as application/ld+json or application/json.'));
  res.locals.format = MEDIA_TYPES[chosen];
  next();
}

/** 415 unless the body is one of the media types the operation accepts. */
export function requireContentType(types: string[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.is(types)) return next();
    const given = req.get('content-type') ?? 'none';
    next(new AppError('unsupported-media-type', `This operation accepts ${types.join(' or ')}; the request says ${given}.`));
  };
}
