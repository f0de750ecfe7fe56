import { PROBLEM_TYPES, type ProblemSlug } from './problem-types.js';

/**
 * A 422 lists at most this many violations, and `violation_count` says how many there were:
 * a client fixes the first ones and resends, and no answer grows with the body that caused it.
 */
export const MAX_LISTED_VIOLATIONS = 50;

export interface Violation {
  propertyPath: string;
  message: string;
  code: string;
  hint?: string;
  payload?: Record<string, unknown>;
}

/**
 * The one error type of the application. Use cases throw it; the HTTP error handler turns
 * it into a problem document. Anything else reaching that handler is a bug (a 500).
 */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly slug: ProblemSlug,
    readonly detail: string,
    readonly extra: { violations?: Violation[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'AppError';
    this.status = PROBLEM_TYPES[slug].status;
  }
}

export const notFound = (what = 'resource') => new AppError('not-found', `No ${what} at this address.`);
