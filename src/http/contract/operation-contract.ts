import type { ProblemSlug } from '../../problems/problem-types.js';
import type { RequestHeaderName, ResponseHeaderName } from './headers.js';
import { returnsRepresentation, type OperationSite } from './site.js';
import { CHAIN } from './steps.js';

/** One status an operation can answer, and why. */
export interface StatusContract {
  status: number;
  /** The chain steps' problem types with this status; the operation's own rules may add others (`domain`). */
  problems: ProblemSlug[];
  /** The operation's own rules (not found, conflicts, roles) answer this status too. */
  domain: boolean;
  headers: ResponseHeaderName[];
}

export interface OperationContract {
  success: StatusContract;
  /** Every status, the success included, in ascending order. */
  statuses: StatusContract[];
  requestHeaders: RequestHeaderName[];
}

const union = <T>(a: readonly T[], b: readonly T[]): T[] => [...new Set([...a, ...b])];

/**
 * Everything an operation can answer: its success and domain statuses from its description,
 * and what each step of the request chain that applies to it adds. The one source of the
 * statuses, problem types and headers in /api/docs.json and /api/docs.jsonld.
 */
export function operationContract(site: OperationSite): OperationContract {
  const steps = CHAIN.filter((step) => step.applies(site));
  const everywhere = steps.flatMap((step) => step.adds ?? []);
  const byStatus = new Map<number, StatusContract>();
  const at = (status: number) => {
    let entry = byStatus.get(status);
    if (!entry) byStatus.set(status, (entry = { status, problems: [], domain: false, headers: [...everywhere] }));
    return entry;
  };
  for (const status of site.operation.possibleStatus) if (status !== site.operation.status) at(status).domain = true;
  for (const step of steps) {
    for (const refusal of step.refusals) {
      const entry = at(refusal.status);
      entry.problems = union(entry.problems, refusal.problems);
      entry.headers = union(entry.headers, refusal.headers ?? []);
    }
  }
  const success = at(site.operation.status);
  success.headers = union(success.headers, [...(returnsRepresentation(site) ? (['ETag'] as const) : []), ...(site.operation.status === 201 ? (['Location'] as const) : [])]);
  return {
    success,
    statuses: [...byStatus.values()].sort((a, b) => a.status - b.status),
    requestHeaders: union([], steps.flatMap((step) => step.reads ?? [])),
  };
}
