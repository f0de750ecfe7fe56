import { STATUS_CODES } from 'node:http';
import type { ResponseHeaderName } from '../http/contract/headers.js';
import { operationContract, type OperationContract, type StatusContract } from '../http/contract/operation-contract.js';
import { isPublic, type OperationSite as ContractSite } from '../http/contract/site.js';
import { DEFAULT_ITEMS_PER_PAGE, MAX_CURSOR_LENGTH, MAX_ITEMS_PER_PAGE, MAX_PAGE_PARAMETER } from '../http/pagination.js';
import { PROBLEM_TYPES } from '../problems/problem-types.js';
import { constraintViolationListDescription, errorDescription } from '../resources/error/error.description.js';
import { API_PREFIX, routesOf, type HttpMethod, type OperationDescription, type ResourceDescription, type Route } from '../resources/description.js';
import { collectionSchemaName, hasCollection } from './openapi-collections.js';
import { asPlainJson, recordedExample } from './openapi-examples.js';
import { inputSchemaName, isAddressable, schemaRef } from './openapi-schemas.js';

type Json = Record<string, unknown>;

/** What a caller presents: either scheme will do. An operation that cannot answer 401 needs neither. */
export const CALLER_SECURITY = [{ bearer: [] }, { apiKey: [] }];

// The routes' default for bodies, and the two formats every success can be negotiated to.
const JSON_TYPES = ['application/ld+json', 'application/json'];
const VALIDATION_FAILED = PROBLEM_TYPES['validation-failed'].status;

const statusText = (status: number) => STATUS_CODES[status] ?? String(status);

interface OperationSite extends ContractSite {
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
    schema: { type: 'string', format: 'uuid', minLength: 36, maxLength: 36 },
  }));
}

const cursor = (name: string, which: string): Json => ({
  name,
  in: 'query',
  description: `Instead of page, in the default order without filters: the cursor of ${which}, as the view's links carry it. A value this API did not give out is a 400.`,
  schema: { type: 'string', minLength: 1, maxLength: MAX_CURSOR_LENGTH, pattern: '^[A-Za-z0-9_-]+$' },
});

function pageParameters(operation: OperationDescription): Json[] {
  return [
    ...(operation.cursors ? [cursor('after', 'hydra:next (the items after it)'), cursor('before', 'hydra:previous (the items before it)')] : []),
    { name: 'page', in: 'query', description: 'Which page, from 1.', schema: { type: 'integer', format: 'int32', minimum: 1, maximum: MAX_PAGE_PARAMETER, default: 1 } },
    {
      name: 'itemsPerPage',
      in: 'query',
      // The maximum is what is read, not what a page holds: more than MAX_ITEMS_PER_PAGE is accepted and capped.
      description: `How many items a page holds. More than ${MAX_ITEMS_PER_PAGE} is read as ${MAX_ITEMS_PER_PAGE} (as API Platform caps it), and the page's hydra:view links carry ${MAX_ITEMS_PER_PAGE}.`,
      schema: { type: 'integer', format: 'int32', minimum: 1, maximum: MAX_PAGE_PARAMETER, default: DEFAULT_ITEMS_PER_PAGE },
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
  return [...pageParameters(operation), ...(route.target === 'collection' ? searchParameters(resource) : [])];
}

function requestBody({ method, operation, byName }: OperationSite, expects: string): Json {
  const schema = schemaRef(inputSchemaName(described(byName, expects), method));
  return { required: true, content: Object.fromEntries((operation.accepts ?? JSON_TYPES).map((type) => [type, { schema }])) };
}

/** A collection route holds its resource's items; a link to another collection says what it holds (`holds`). */
function returnedSchema({ resource, route, operation, byName }: OperationSite): Json {
  if (operation.returns !== 'hydra:Collection') return schemaRef(described(byName, operation.returns).name);
  if (route.target === 'collection' && hasCollection(resource)) return schemaRef(collectionSchemaName(resource));
  const held = resource.properties[route.target]?.holds;
  if (!held) throw new Error(`${resource.name}.${route.target} links to a collection without saying what it holds`);
  return schemaRef(collectionSchemaName(described(byName, held)));
}

/** The JSON-LD profiles a success can be negotiated to besides the compacted default, and HTML for people. */
const PROFILE_TYPES = {
  'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"': 'ExpandedJsonLd',
  'application/ld+json; profile="http://www.w3.org/ns/json-ld#flattened"': 'FlattenedJsonLd',
} as const;
const HTML_PAGE = { 'text/html': { schema: { type: 'string', description: "The explorer's page for this resource, for a browser (Accept: text/html)." } } };

const headerRefs = (names: readonly ResponseHeaderName[]) => (names.length ? { headers: Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }])) } : {});

function successResponse(site: OperationSite, { headers }: StatusContract): Json {
  const { status, returns } = site.operation;
  if (returns === 'owl:Nothing') return { description: `${statusText(status)}: done, with nothing to return.`, ...headerRefs(headers) };
  const schema = returnedSchema(site);
  // A real answer, recorded by `npm run examples` (src/generators/record-examples.ts).
  const example = recordedExample(operationId(site));
  const exampleFor = (type: string) => (example ? { example: type === 'application/json' ? asPlainJson(example) : example } : {});
  return {
    description: `${statusText(status)}: ${returns === 'hydra:Collection' ? 'one page of the collection' : `the ${returns}`}.`,
    ...headerRefs(headers),
    content: {
      ...Object.fromEntries(JSON_TYPES.map((type) => [type, { schema, ...exampleFor(type) }])),
      ...Object.fromEntries(Object.entries(PROFILE_TYPES).map(([type, name]) => [type, { schema: schemaRef(name) }])),
      ...(site.method === 'GET' ? HTML_PAGE : {}),
    },
  };
}

function problemResponse({ status, problems, domain, headers }: StatusContract): Json {
  const problem = status === VALIDATION_FAILED ? constraintViolationListDescription : errorDescription;
  const named = problems.length ? ` Problem types: ${problems.join(', ')}${domain ? ", or one of the operation's own" : ''}.` : ' Its type tells which problem.';
  return {
    description: `${statusText(status)}: an RFC 9457 problem document.${named}`,
    ...headerRefs(headers),
    content: { 'application/problem+json': { schema: schemaRef(problem.name) } },
  };
}

function responses(site: OperationSite, contract: OperationContract): Json {
  const entry = (answer: StatusContract) => {
    if (answer === contract.success) return successResponse(site, answer);
    if (answer.status >= 400) return problemResponse(answer);
    return { description: `${statusText(answer.status)}: the representation the client holds (If-None-Match) is still current; no body.`, ...headerRefs(answer.headers) };
  };
  return Object.fromEntries(contract.statuses.map((answer) => [String(answer.status), entry(answer)]));
}

/** `getOrganizationCollection`, `patchMemberItem`, `postInvitationAccept`. */
export function operationId({ resource, route, method }: Pick<ContractSite, 'resource' | 'route' | 'method'>): string {
  return `${method.toLowerCase()}${resource.name}${route.target[0].toUpperCase()}${route.target.slice(1)}`;
}

function operationObject(site: OperationSite): Json {
  const contract = operationContract(site);
  const parameters = [...queryParameters(site), ...contract.requestHeaders.map((name) => ({ $ref: `#/components/parameters/${name}` }))];
  return {
    operationId: operationId(site),
    summary: site.operation.title,
    tags: [site.resource.name],
    // OpenAPI 3.1 lets non-OAuth schemes list required roles: here, the token scope.
    security: !isPublic(site) ? CALLER_SECURITY.map((scheme) => Object.fromEntries(Object.keys(scheme).map((name) => [name, site.operation.scope ? [site.operation.scope] : []]))) : [],
    ...(parameters.length ? { parameters } : {}),
    ...(site.operation.expects ? { requestBody: requestBody(site, site.operation.expects) } : {}),
    responses: responses(site, contract),
  };
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
