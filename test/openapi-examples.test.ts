/**
 * Swagger UI's "Try it out" (and Redoc) fill a request body from its schema in the served
 * /api/docs.json: a schema's `examples[0]` first, else a sample of each property. This builds
 * each body exactly so, with openapi-sampler (Redoc's sampler, which follows the same order:
 * const, examples, enum, default, then a placeholder of the type), and sends it unchanged
 * to a real server, in every media type the operation lists: each must succeed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sample } from 'openapi-sampler';
import { startApi, type Api } from './support/harness.js';
import { ResourceWorld, everyRoute } from '../src/generators/resource-world.js';

type Json = Record<string, any>;
type Caller = Awaited<ReturnType<Api['partner']>>;

let api: Api;
let document: Json;
let owner: Caller;
let world: ResourceWorld;
beforeAll(async () => {
  api = await startApi();
  document = (await api.http().get('/api/docs.json')).body;
  owner = await api.partner('Owner');
  world = new ResourceWorld(api, owner.auth, 'examples');
});
afterAll(() => api.close());

interface BodyOperation {
  method: string;
  path: string;
  operationId: string;
  mediaType: string;
  schema: Json;
}

function bodyOperations(): BodyOperation[] {
  return Object.entries(document.paths as Json).flatMap(([path, item]) =>
    Object.entries(item as Json)
      .filter(([, operation]) => (operation as Json).requestBody)
      .flatMap(([method, operation]) =>
        Object.entries((operation as Json).requestBody.content as Json).map(([mediaType, media]) => ({ method, path, operationId: (operation as Json).operationId, mediaType, schema: (media as Json).schema })),
      ),
  );
}

/** The body as Swagger UI offers it: read-only properties left out of a request. */
const exampleBody = (operation: BodyOperation) => sample(operation.schema, { skipReadOnly: true }, document) as Json;

/** The resource and route a path of the document is, by its pattern (`{organizationId}` is `:organizationId`). */
function routeOf(operation: BodyOperation) {
  const pattern = operation.path.replace(/^\/api/, '').replace(/\{(\w+)\}/g, ':$1');
  const found = everyRoute.find(({ route }) => route.path === pattern);
  if (!found) throw new Error(`${operation.path} is no route of the registry`);
  return found;
}

/**
 * The path parameters of a new resource for the operation to act on, made with the owner's
 * token from the descriptions (each parent and item made anew), and the partners the body
 * names, which the operation requires to exist.
 */
async function pathParameters(operation: BodyOperation, body: Json): Promise<Record<string, string>> {
  const { resource, route } = routeOf(operation);
  await world.ensurePartnersOf(resource, body);
  return world.paramsOf(resource, route, true);
}

const fill = (path: string, parameters: Record<string, string>) => path.replace(/\{(\w+)\}/g, (_, name: string) => parameters[name]);

describe('The request examples of the served OpenAPI document', () => {
  it('When the operations with a body are listed, then each is a route of the registry', () => {
    expect(bodyOperations().length).toBeGreaterThan(0);
    for (const operation of bodyOperations()) expect(routeOf(operation).route.operations[operation.method.toUpperCase() as 'POST']).toBeDefined();
  });

  it('When a body is built as Swagger UI builds it, then it carries our own @context and @type, not the placeholder "string"', () => {
    for (const operation of bodyOperations()) {
      const body = exampleBody(operation);
      const resource = operation.schema.$ref.split('/').pop().split('.')[0];
      expect([operation.operationId, body['@context'], body['@type']]).toEqual([operation.operationId, `/api/contexts/${resource}`, resource]);
      expect(Object.values(body)).not.toContain('string');
    }
  });

  it('When every example body is sent as it is, in every media type its operation lists, then each gets a 2xx', async () => {
    const answers: string[] = [];
    for (const operation of bodyOperations()) {
      const body = exampleBody(operation);
      const path = fill(operation.path, await pathParameters(operation, body));
      const res = await api.http()[operation.method as 'post' | 'patch'](path).set(owner.auth).set('Content-Type', operation.mediaType).send(JSON.stringify(body));
      answers.push(`${operation.method.toUpperCase()} ${operation.path} (${operation.mediaType}) ${JSON.stringify(body)}: ${res.status}${res.status >= 300 ? ` ${res.text}` : ''}`);
    }
    expect(answers.filter((answer) => !/: 2\d\d$/.test(answer))).toEqual([]);
    expect(answers.length).toBe(bodyOperations().length);
  });
});
