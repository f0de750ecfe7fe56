import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../problems/app-error.js';
import { CommitOutcomeUnknown, isDatabaseUnavailable } from '../persistence/database-errors.js';
import { sendProblem } from './problem-response.js';

/** What a client should wait before retrying when the database is away: about a failover's length. */
const RETRY_AFTER_SECONDS = 5;

/** body-parser's own errors, by their `type`. */
function fromBodyParser(error: { type?: string; limit?: number; charset?: string }): AppError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return new AppError('malformed-request', 'The request body is not valid JSON.');
    case 'entity.too.large':
      return new AppError('payload-too-large', `The request body is larger than the limit of ${error.limit} bytes.`);
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new AppError('unsupported-media-type', 'The request body must be UTF-8 JSON, uncompressed or gzip/deflate.');
    case 'request.aborted':
    case 'request.size.invalid':
      return new AppError('malformed-request', 'The request body ended before its declared length.');
    default:
      // Anything else body-parser refuses (a corrupt compressed body, say) is the client's: 400.
      return error.type === undefined && (error as { status?: number }).status === 400 ? new AppError('malformed-request', 'The request body could not be read (corrupt or truncated encoding).') : undefined;
  }
}

/** The one place errors become responses: known ones as their problem, anything else as a logged 500. */
export function errorHandler(error: unknown, req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(error);
  const known = error instanceof AppError ? error : error instanceof URIError ? malformedPath() : fromBodyParser(error as object);
  if (known) return sendProblem(req, res, known);
  if (error instanceof CommitOutcomeUnknown) {
    req.log.warn({ err: error }, 'commit outcome unknown');
    return sendProblem(req, res, outcomeUnknown());
  }
  if (isDatabaseUnavailable(error)) {
    req.log.warn({ err: error }, 'database unavailable');
    return sendProblem(req, res, databaseUnavailable());
  }
  req.log.error({ err: error }, 'unhandled error');
  sendProblem(req, res, new AppError('internal-error', 'The server failed to answer this request. It has been logged.'));
}

/** The router could not decode a path segment (`%ZZ`, a lone `%`, bytes that are not UTF-8). */
function malformedPath(): AppError {
  return new AppError('malformed-request', 'The request path holds a malformed percent-encoding (each % must start an escape of UTF-8 bytes).');
}

export function databaseUnavailable(): AppError {
  return new AppError('service-unavailable', 'The database is unavailable right now; the request was not carried out.', { headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } });
}

/** Not "nothing was changed": the change may be saved, so the client must look before it retries. */
function outcomeUnknown(): AppError {
  return new AppError('outcome-unknown', 'The connection to the database was lost while the change was being committed: it may or may not have been saved. Read the resource to find out before retrying.', { headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } });
}

export function notFoundHandler(req: Request, res: Response): void {
  sendProblem(req, res, new AppError('not-found', `Nothing is served at ${req.path}.`));
}
