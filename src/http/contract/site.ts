import type { HttpMethod, OperationDescription, ResourceDescription, Route } from '../../resources/description.js';

/** One operation where it is mounted: what every step of the request chain decides by. */
export interface OperationSite {
  resource: ResourceDescription;
  route: Route;
  method: HttpMethod;
  operation: OperationDescription;
}

/** The path as Express and the rate limiter see it: `/api/organizations/:id`. */
export const sitePath = (site: OperationSite) => `/api${site.route.path}`;

/** Operations anyone may call without a token (the entrypoint). */
export const isPublic = (site: OperationSite) => site.operation.public === true;

export const hasBody = (site: OperationSite) => site.operation.expects !== undefined;

/** The media types a body may have: the operation's, or JSON and JSON-LD. */
export const DEFAULT_BODY_TYPES = ['application/json', 'application/ld+json'];
export const bodyTypes = (site: OperationSite) => site.operation.accepts ?? DEFAULT_BODY_TYPES;

/** Bodies read as JSON-LD (their @context is processed); a merge patch is plain JSON. */
export const takesJsonLd = (site: OperationSite) => hasBody(site) && bodyTypes(site).includes('application/ld+json');

/** A body in application/merge-patch+json: every PATCH, whose changes one step computes (src/input/merge-patch.ts). */
export const isMergePatch = (site: OperationSite) => site.method === 'PATCH' && hasBody(site) && bodyTypes(site).includes('application/merge-patch+json');

export const isRead = (site: OperationSite) => site.method === 'GET';

/** Retries of a POST with the same Idempotency-Key get the first answer. */
export const isRetrySafe = (site: OperationSite) => site.method === 'POST' && !isPublic(site);

/** PATCH and DELETE of one resource take If-Match. */
export const takesIfMatch = (site: OperationSite) => (site.method === 'PATCH' || site.method === 'DELETE') && site.route.target === 'item';

export const isCollectionRead = (site: OperationSite) => isRead(site) && site.operation.returns === 'hydra:Collection';

/** Answers with a representation (not 204): these carry an ETag. */
export const returnsRepresentation = (site: OperationSite) => site.operation.returns !== 'owl:Nothing';
