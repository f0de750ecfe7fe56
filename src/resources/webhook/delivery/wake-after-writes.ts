import type { NextFunction, Request, Response } from 'express';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Wakes the delivery worker when a write has been answered with success, so a change's event
 * leaves within milliseconds instead of at the next poll. A write answered 2xx has committed
 * (answers follow commits), so its event is there to read.
 */
export function wakeAfterWrites(worker: { wake(): void }) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!READS.has(req.method)) res.once('finish', () => res.statusCode < 300 && worker.wake());
    next();
  };
}
