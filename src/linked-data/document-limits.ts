import { AppError } from '../problems/app-error.js';

/**
 * jsonld.js work is not linear in the body's size: every inline or scoped context copies the
 * active context for the nodes below it, so a 200 KB body of many small contexts under one
 * large one takes seconds, and a 500 KB one exhausts the heap. Within these caps the worst
 * shapes we found take about 350 ms cold, while any real resource fits twice over (an organization
 * with every list full is 462 values expanded).
 */
export const DOCUMENT_LIMITS = {
  depth: 32,
  values: 1000,
  /** Values inside @context entries, which are what multiplies the work. */
  contextValues: 100,
} as const;

interface Tally {
  values: number;
  contextValues: number;
}

/** Stops at the first limit crossed, so a hostile body costs no more than the limits to check. */
function firstExcess(value: unknown, depth: number, inContext: boolean, tally: Tally): string | undefined {
  if (depth > DOCUMENT_LIMITS.depth) return `it nests deeper than ${DOCUMENT_LIMITS.depth} levels`;
  if (++tally.values > DOCUMENT_LIMITS.values) return `it holds more than ${DOCUMENT_LIMITS.values} values`;
  if (inContext && ++tally.contextValues > DOCUMENT_LIMITS.contextValues) return `its contexts hold more than ${DOCUMENT_LIMITS.contextValues} values`;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const excess = firstExcess(child, depth + 1, inContext || key === '@context', tally);
    if (excess) return excess;
  }
  return undefined;
}

/** Checked before jsonld.js runs: a 422 document-too-complex problem naming the limit. */
export function checkDocumentLimits(body: unknown): void {
  const excess = firstExcess(body, 1, false, { values: 0, contextValues: 0 });
  if (excess) throw new AppError('document-too-complex', `The body cannot be processed as JSON-LD: ${excess}.`);
}
