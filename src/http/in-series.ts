import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Several middlewares as one layer of Express's router. Every request runs each of them, and
 * each layer costs the router a visit of its own (a match, a call through its `next`): eight
 * layers where one would do showed in the profile of a GET. Each step is run as the router
 * runs a layer: an error it throws or a promise it rejects goes to `next(error)`, and a step
 * that does not call its `next` ends the series (it has answered).
 */
export function inSeries(...steps: RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    let at = 0;
    const step = (error?: unknown): void => {
      if (error !== undefined || at === steps.length) return next(error);
      const handler = steps[at++];
      try {
        const returned: unknown = handler(req, res, step);
        if (returned instanceof Promise) returned.catch((rejected: unknown) => step(rejected ?? new Error('Rejected promise')));
      } catch (thrown) {
        step(thrown);
      }
    };
    step();
  };
}
