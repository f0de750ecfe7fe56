import { STATUS_CODES } from 'node:http';
import { DEFAULT_ITEMS_PER_PAGE, MAX_ITEMS_PER_PAGE } from '../http/pagination.js';
import { PROBLEM_TYPES } from '../problems/problem-types.js';
import { constraintViolationListDescription, errorDescription } from '../resources/error/error.description.js';
import { API_PREFIX, routesOf, type HttpMethod, type OperationDescription, type ResourceDescription, type Route } from '../resources/description.js';
import { collectionSchemaName, hasCollection } from './openapi-collections.js';
import { inputSchemaName, isAddressable, schemaRef } from './openapi-schemas.js';
import { withHandlingPreference } from './openapi-preferences.js';

type Json = Record<string, unknown>;

/** What a caller presents: either scheme will do. An operation that cannot answer 401 needs neither. */
export const CALLER_SECURITY = [{ bearer: [] }, { apiKey: [] }];

// The routes' default for bodies, and the two formats every success can be negotiated to.
const JSON_TYPES = ['application/ld+json', 'application/json'];
const VALIDATION_FAILED = PROBLEM_TYPES['validation-failed'].status;

const statusText = (status: number) => STATUS_CODES[status] ?? String(status);

interface OperationSite {
  resource: ResourceDescription;
  route: Route;
  method: HttpMethod;
  operation: OperationDescription;
  byName: Map<string, ResourceDescription>;
}

function described(byName: Map<string, ResourceDescription>, name: string): ResourceDescription {
  const resource = byName.get(name);
  if (!resource) throw new Error(`${name} is named by an operation but not described`);
  return resource;
}

/** `/organizations/:organizationId/members` -> `/api/organizations/{organizationId}/members`. */
function openApiPath(pattern: string): string {
  return API_PREFIX + pattern.replace(/:(\w+)/g, '{$1}');
}

function pathParameters(resource: ResourceDescription, pattern: string): Json[] {
  return [...pattern.matchAll(/:(\w+)/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    ...(name === 'id' && resource.properties.id ? { description: resource.properties.id.description } : {}),
    schema: { type: 'string', format: 'uuid' },
  }));
}

function pageParameters(): Json[] {
  return [
    { name: 'page', in: 'query', description: 'Which page, from 1.', schema: { type: 'integer', minimum: 1, default: 1 } },
    {
      name: 'itemsPerPage',
      in: 'query',
      // No `maximum`: more is accepted (and capped), so the schema must not refuse it.
      description: `How many items a page holds. More than ${MAX_ITEMS_PER_PAGE} is read as ${MAX_ITEMS_PER_PAGE} (as API Platform caps it), and the page's hydra:view links carry ${MAX_ITEMS_PER_PAGE}.`,
      schema: { type: 'integer', minimum: 1, default: DEFAULT_ITEMS_PER_PAGE },
    },
  ];
}

/** The collection's hydra:search variables (`role`, `order[name]`): query values are strings. */
function searchParameters(resource: ResourceDescription): Json[] {
  return Object.entries(resource.search ?? {}).map(([name, variable]) => ({
    name,
    in: 'query',
    description: variable.description,
    schema: { type: 'string', ...variable.schema },
  }));
}

function queryParameters({ resource, route, method, operation }: OperationSite): Json[] {
  if (method !== 'GET' || operation.returns !== 'hydra:Collection') return [];
  return [...pageParameters(), ...(route.target === 'collection' ? searchParameters(resource) : [])];
}

function requestBody({ method, operation, byName }: OperationSite, expects: string): Json {
  const schema = schemaRef(inputSchemaName(described(byName, expects), method));
  return { required: true, content: Object.fromEntries((operation.accepts ?? JSON_TYPES).map((type) => [type, { schema }])) };
}

/** A collection route holds its resource's items; other collections (the caller's invitations) do not say what they hold. */
function returnedSchema({ resource, route, operation, byName }: OperationSite): Json {
  if (operation.returns !== 'hydra:Collection') return schemaRef(described(byName, operation.returns).name);
  return route.target === 'collection' && hasCollection(resource) ? schemaRef(collectionSchemaName(resource)) : schemaRef('HydraCollection');
}

function successResponse(site: OperationSite): Json {
  const { status, returns } = site.operation;
  if (returns === 'owl:Nothing') return { description: `${statusText(status)}: done, with nothing to return.` };
  const schema = returnedSchema(site);
  const location = { Location: { description: 'The absolute URL of what was created.', schema: { type: 'string', format: 'uri' } } };
  return {
    description: `${statusText(status)}: ${returns === 'hydra:Collection' ? 'one page of the collection' : `the ${returns}`}.`,
    ...(status === 201 ? { headers: location } : {}),
    content: Object.fromEntries(JSON_TYPES.map((type) => [type, { schema }])),
  };
}

function problemResponse(status: number): Json {
  const problem = status === VALIDATION_FAILED ? constraintViolationListDescription : errorDescription;
  const challenge = {
    'WWW-Authenticate': { description: 'A Bearer challenge, with error="invalid_token" when the token sent is unknown, revoked or expired.', schema: { type: 'string' } },
  };
  return {
    description: `${statusText(status)}: an RFC 9457 problem document; its type tells which problem.`,
    ...(status === 401 ? { headers: challenge } : {}),
    content: { 'application/problem+json': { schema: schemaRef(problem.name) } },
  };
}

function responses(site: OperationSite): Json {
  const entry = (status: number) => {
    if (status === site.operation.status) return successResponse(site);
    return status >= 400 ? problemResponse(status) : { description: statusText(status) };
  };
  return Object.fromEntries(site.operation.possibleStatus.map((status) => [String(status), entry(status)]));
}

/** `getOrganizationCollection`, `patchMemberItem`, `postInvitationAccept`. */
function operationId({ resource, route, method }: OperationSite): string {
  return `${method.toLowerCase()}${resource.name}${route.target[0].toUpperCase()}${route.target.slice(1)}`;
}

function operationObject(site: OperationSite): Json {
  const parameters = queryParameters(site);
  const operation = {
    operationId: operationId(site),
    summary: site.operation.title,
    tags: [site.resource.name],
    // OpenAPI 3.1 lets non-OAuth schemes list required roles: here, the token scope.
    security: site.operation.possibleStatus.includes(401) ? CALLER_SECURITY.map((scheme) => Object.fromEntries(Object.keys(scheme).map((name) => [name, site.operation.scope ? [site.operation.scope] : []]))) : [],
    ...(parameters.length ? { parameters } : {}),
    ...(site.operation.expects ? { requestBody: requestBody(site, site.operation.expects) } : {}),
    responses: responses(site),
  };
  return site.operation.expects ? withHandlingPreference(operation) : operation;
}

/** One path item per route of every addressable resource, in the order the descriptions give them. */
export function buildPaths(resources: ResourceDescription[]): Json {
  const byName = new Map(resources.map((r) => [r.name, r]));
  const paths: Json = {};
  for (const resource of resources.filter(isAddressable)) {
    for (const route of routesOf(resource)) {
      const path = openApiPath(route.path);
      if (path in paths) throw new Error(`${path} is described twice`);
      const operations = Object.entries(route.operations) as [HttpMethod, OperationDescription][];
      if (operations.length === 0) continue;
      const parameters = pathParameters(resource, route.path);
      paths[path] = {
        ...(parameters.length ? { parameters } : {}),
        ...Object.fromEntries(operations.map(([method, operation]) => [method.toLowerCase(), operationObject({ resource, route, method, operation, byName })])),
      };
    }
  }
  return paths;
}
