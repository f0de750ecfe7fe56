/**
 * Swagger UI's "Try it out" (and Redoc) fill a request body from its schema in the served
 * /api/docs.json: a schema's `examples[0]` first, else a sample of each property. This builds
 * each body exactly so, with openapi-sampler (Redoc's sampler, which follows the same order:
 * const, examples, enum, default, then a placeholder of the type), and sends it unchanged
 * to a real server, in every media type the operation lists: each must succeed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sample } from 'openapi-sampler';
import { createPartner } from '../src/resources/partner/partner-use-cases.js';
import { startApi, type Api } from './support/harness.js';

type Json = Record<string, any>;
type Caller = Awaited<ReturnType<Api['partner']>>;

let api: Api;
let document: Json;
let owner: Caller;
beforeAll(async () => {
  api = await startApi();
  document = (await api.http().get('/api/docs.json')).body;
  owner = await api.partner('Owner');
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

/** The partners an example names (a member to add, an integration to install) must exist, as the operation requires. */
async function ensurePartner(email: string): Promise<void> {
  await createPartner(api.db, { email, name: email }).catch((error: Error) => {
    if (!/already|exists|taken/i.test(error.message)) throw error;
  });
}

async function freshOrganization(): Promise<string> {
  const res = await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Try it out' });
  expect(res.status).toBe(201);
  return res.body.id;
}

/** Creates what the operation acts on, with the owner's token: the path parameters of a real resource. */
const PATH_PARAMETERS: Record<string, (body: Json) => Promise<Record<string, string>>> = {
  postOrganizationCollection: async () => ({}),
  patchOrganizationItem: async () => ({ id: await freshOrganization() }),
  postMemberCollection: async (body) => {
    await ensurePartner(body.email);
    return { organizationId: await freshOrganization() };
  },
  patchMemberItem: async () => {
    const organizationId = await freshOrganization();
    const partner = await api.partner('Admin');
    const added = await api.http().post(`/api/organizations/${organizationId}/members`).set(owner.auth).send({ email: partner.email, role: 'admin' });
    expect(added.status).toBe(201);
    return { organizationId, id: added.body.id };
  },
  postInvitationCollection: async () => ({ organizationId: await freshOrganization() }),
  postWebhookEndpointCollection: async () => ({}),
  patchWebhookEndpointItem: async () => {
    const created = await api.http().post('/api/webhook_endpoints').set(owner.auth).send({ url: 'http://127.0.0.1:9/examples' });
    expect(created.status).toBe(201);
    return { id: created.body.id };
  },
  postIntegrationCollection: async (body) => {
    await ensurePartner(body.partner);
    return { organizationId: await freshOrganization() };
  },
  patchIntegrationItem: async () => {
    const organizationId = await freshOrganization();
    const partner = await api.partner('Integration');
    const installed = await api.http().post(`/api/organizations/${organizationId}/integrations`).set(owner.auth).send({ partner: partner.email, scopes: ['member:read'] });
    expect(installed.status).toBe(201);
    return { organizationId, id: installed.body.id };
  },
};

const fill = (path: string, parameters: Record<string, string>) => path.replace(/\{(\w+)\}/g, (_, name: string) => parameters[name]);

describe('The request examples of the served OpenAPI document', () => {
  it('When the operations with a body are listed, then each has its resources prepared here (a new one must be added)', () => {
    const operations = [...new Set(bodyOperations().map((o) => o.operationId))];
    expect(operations.length).toBeGreaterThan(0);
    expect(operations.filter((id) => !PATH_PARAMETERS[id])).toEqual([]);
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
      const path = fill(operation.path, await PATH_PARAMETERS[operation.operationId](body));
      const res = await api.http()[operation.method as 'post' | 'patch'](path).set(owner.auth).set('Content-Type', operation.mediaType).send(JSON.stringify(body));
      answers.push(`${operation.method.toUpperCase()} ${operation.path} (${operation.mediaType}) ${JSON.stringify(body)}: ${res.status}${res.status >= 300 ? ` ${res.text}` : ''}`);
    }
    expect(answers.filter((answer) => !/: 2\d\d$/.test(answer))).toEqual([]);
    expect(answers.length).toBe(bodyOperations().length);
  });
});
