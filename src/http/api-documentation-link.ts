import type { NextFunction, Request, Response } from 'express';
import { absolute } from './base-url.js';

export const API_DOCUMENTATION_PATH = '/api/docs.jsonld';
const REL = 'http://www.w3.org/ns/hydra/core#apiDocumentation';

/** Every response, errors included, tells Hydra clients where the API documentation is. */
export function apiDocumentationLink(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Link', `<${absolute(req, API_DOCUMENTATION_PATH)}>; rel="${REL}"`);
  next();
}
