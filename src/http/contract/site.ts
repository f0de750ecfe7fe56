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

export const isRead = (site: OperationSite) => site.method === 'GET';

/** Retries of a POST with the same Idempotency-Key get the first answer. */
export const isRetrySafe = (site: OperationSite) => site.method === 'POST' && !isPublic(site);

/** PATCH and DELETE of one resource take If-Match. */
export const takesIfMatch = (site: OperationSite) => (site.method === 'PATCH' || site.method === 'DELETE') && site.route.target === 'item';

export const isCollectionRead = (site: OperationSite) => isRead(site) && site.operation.returns === 'hydra:Collection';

/** Answers with a representation (not 204): these carry an ETag. */
export const returnsRepresentation = (site: OperationSite) => site.operation.returns !== 'owl:Nothing';
