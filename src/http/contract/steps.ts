import { PROBLEM_TYPES, type ProblemSlug } from '../../problems/problem-types.js';
import { isRateLimited } from '../rate-limit.js';
import type { RequestHeaderName, ResponseHeaderName } from './headers.js';
import { hasBody, isMergePatch, takesJsonLd, isCollectionRead, isPublic, isRead, isRetrySafe, returnsRepresentation, sitePath, takesIfMatch, type OperationSite } from './site.js';

/** What one step may answer instead of the operation: a problem (its status follows from its type), or a status of its own. */
export interface Refusal {
  status: number;
  /** The problem types this step answers with that status; none for 304. */
  problems: ProblemSlug[];
  headers?: ResponseHeaderName[];
}

/**
 * One step of the request chain, as the contract knows it: to which operations it applies,
 * the request headers it reads, the headers it adds to every answer, and what it refuses
 * with. src/http/mount-operations.ts runs the steps; the OpenAPI document, the Hydra
 * documentation and test/refusals.test.ts read them from here.
 */
export interface ChainStep {
  name: string;
  applies: (site: OperationSite) => boolean;
  reads?: RequestHeaderName[];
  /** Headers this step adds to the operation's answers (success and problems alike). */
  adds?: ResponseHeaderName[];
  refusals: Refusal[];
}

const problems = (...slugs: ProblemSlug[]): Refusal[] => {
  const byStatus = new Map<number, ProblemSlug[]>();
  for (const slug of slugs) byStatus.set(PROBLEM_TYPES[slug].status, [...(byStatus.get(PROBLEM_TYPES[slug].status) ?? []), slug]);
  return [...byStatus].map(([status, listed]) => ({ status, problems: listed }));
};

const withHeaders = (refusals: Refusal[], headers: ResponseHeaderName[]): Refusal[] => refusals.map((r) => ({ ...r, headers }));

const always = () => true;

export const CHAIN: ChainStep[] = [
  {
    // Node's HTTP server and the router, before any operation: what cannot be read as a request.
    name: 'request framing',
    applies: always,
    refusals: problems('malformed-request', 'request-timeout', 'payload-too-large', 'request-header-too-large'),
  },
  { name: 'allowed hosts', applies: always, refusals: problems('misdirected-request') },
  {
    name: 'authentication',
    applies: (site) => !isPublic(site),
    refusals: withHeaders(problems('unauthorized'), ['WWW-Authenticate']),
  },
  {
    name: 'rate limit',
    applies: (site) => isRateLimited(sitePath(site)),
    adds: ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'],
    refusals: withHeaders(problems('too-many-requests'), ['Retry-After']),
  },
  { name: 'negotiation', applies: always, refusals: problems('not-acceptable') },
  {
    name: 'scope',
    applies: (site) => site.operation.scope !== undefined,
    refusals: withHeaders(problems('insufficient-scope'), ['WWW-Authenticate']),
  },
  { name: 'query', applies: isCollectionRead, refusals: problems('malformed-request') },
  {
    name: 'body',
    applies: hasBody,
    // Prefer: handling says how properties the client may not write are read (input-handling.ts).
    reads: ['Prefer'],
    adds: ['Preference-Applied'],
    refusals: problems('malformed-request', 'request-timeout', 'payload-too-large', 'unsupported-media-type', 'document-too-complex', 'validation-failed'),
  },
  { name: 'JSON-LD body', applies: takesJsonLd, refusals: problems('unsupported-context') },
  // The merged result is checked as a whole against the create schema (src/input/merge-patch.ts).
  { name: 'merge patch', applies: isMergePatch, refusals: problems('validation-failed') },
  {
    name: 'idempotency',
    applies: isRetrySafe,
    reads: ['Idempotency-Key'],
    refusals: [...problems('malformed-request', 'idempotency-key-reused'), ...withHeaders(problems('idempotency-key-in-use'), ['Retry-After'])],
  },
  { name: 'preconditions', applies: takesIfMatch, reads: ['If-Match'], refusals: problems('precondition-failed') },
  {
    name: 'conditional read',
    applies: (site) => isRead(site) && returnsRepresentation(site),
    reads: ['If-None-Match'],
    refusals: [{ status: 304, problems: [], headers: ['ETag'] }],
  },
  { name: 'database', applies: always, refusals: withHeaders(problems('service-unavailable'), ['Retry-After']) },
  // A connection lost while a change commits: the client must look before retrying.
  { name: 'commit', applies: (site) => !isRead(site), refusals: withHeaders(problems('outcome-unknown'), ['Retry-After']) },
  { name: 'server', applies: always, refusals: problems('internal-error') },
];

