import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Response } from 'supertest';
import { isCidr, isLanguageTag } from '../src/input/formats.js';
import { PROJECT_ROOT } from '../src/project-root.js';
import { operationContract } from '../src/http/contract/operation-contract.js';
import { API_PREFIX, routesOf, type HttpMethod, type OperationDescription, type ResourceDescription, type Route } from '../src/resources/description.js';
import { INVITATION_STATUSES } from '../src/resources/invitation/invitation.description.js';
import { ROLES } from '../src/resources/member/member.description.js';
import { resources } from '../src/resources/registry.js';
import { startApi, type Api } from './support/harness.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

type Json = Record<string, any>;

const DOCUMENT_ID = 'https://linked-orgs.test/api/docs.json';
const JSON_TYPES = ['application/json', 'application/ld+json'];
const CALLER_SECURITY = [{ bearer: [] }, { apiKey: [] }];

let api: Api;
let document: Json;
beforeAll(async () => {
  api = await startApi();
  document = (await api.http().get('/api/docs.json')).body;
});
afterAll(() => api.close());

interface DescribedOperation {
  resource: ResourceDescription;
  route: Route;
  target: string;
  path: string;
  method: HttpMethod;
  operation: OperationDescription;
}

/** Every operation the descriptions give, at the path OpenAPI writes it: `/api/organizations/{id}`. */
function describedOperations(): DescribedOperation[] {
  const addressable = resources.filter((r) => r.collectionPath !== undefined || r.path !== undefined);
  return addressable.flatMap((resource) =>
    routesOf(resource).flatMap((route) =>
      (Object.entries(route.operations) as [HttpMethod, OperationDescription][]).map(([method, operation]) => ({
        resource,
        route,
        target: route.target,
        path: API_PREFIX + route.path.replace(/:(\w+)/g, '{$1}'),
        method,
        operation,
      })),
    ),
  );
}

function documented(path: string, method: string): Json {
  const operation = document.paths[path]?.[method.toLowerCase()];
  expect(operation).toBeDefined();
  return operation;
}

function component(ref: string): Json {
  const [, kind, name] = /^#\/components\/(schemas|parameters|headers)\/(.+)$/.exec(ref) ?? [];
  expect(kind).toBeDefined();
  const found = document.components[kind][name];
  expect(found).toBeDefined();
  return found;
}

/** Ajv with our own formats and the document's components loaded, so their `#/components/...` refs resolve. */
function componentsValidator(components: Json = document.components) {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  ajv.addFormat('cidr', isCidr);
  ajv.addFormat('bcp47', isLanguageTag);
  ajv.addFormat('iri-reference', (value: string) => URL.canParse(value, 'http://base.test/'));
  ajv.addKeyword('components');
  ajv.addSchema({ $id: DOCUMENT_ID, components });
  return ajv;
}

/**
 * The components with every object schema closed (`unevaluatedProperties: false`), so that a
 * response key the document does not describe fails, at any depth. Schemas that others extend
 * through allOf stay open: closing them would refuse the extension's own properties.
 */
function closedComponents(): Json {
  const extended = new Set(allRefs(Object.values(document.components.schemas as Json).map((s: Json) => s.allOf ?? [])));
  const schemas = Object.entries(document.components.schemas as Json).map(([name, schema]) => {
    const open = schema.type !== 'object' || extended.has(`#/components/schemas/${name}`);
    return [name, open ? schema : { ...schema, unevaluatedProperties: false }];
  });
  return { ...document.components, schemas: Object.fromEntries(schemas) };
}

function allRefs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allRefs);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => (key === '$ref' && typeof v === 'string' ? [v] : allRefs(v)));
}

describe('Serving the OpenAPI document', () => {
  it('When /api/docs.json is requested without a token, then 200 application/json, cacheable, with an ETag', async () => {
    const res = await api.http().get('/api/docs.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json(;|$)/);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.headers.etag).toBeDefined();
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.info).toMatchObject({ title: 'Linked Orgs API', version: expect.any(String) });
  });

  it('When /api/docs.json is sent a POST, then 405 with Allow: GET, HEAD as a problem document', async () => {
    const res = await api.http().post('/api/docs.json').send({});
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json(;|$)/);
  });
});

describe('The OpenAPI document', () => {
  it('When /api/docs.json is validated with an OpenAPI 3.1 validator, then it is valid', async () => {
    const result = await new Validator().validate(document);
    if (!result.valid) console.error(JSON.stringify(result.errors, null, 2));
    expect(result.valid).toBe(true);
  });

  it('When its schemas are compiled as JSON Schema 2020-12 in strict mode, then every one compiles and every $ref leads to a component', () => {
    const ajv = componentsValidator();
    for (const name of Object.keys(document.components.schemas)) {
      expect(() => ajv.compile({ $ref: `${DOCUMENT_ID}#/components/schemas/${name}` })).not.toThrow();
    }
    for (const ref of allRefs(document)) component(ref);
  });

  it('When its paths are compared with the descriptions, then every route appears with exactly its documented methods, and nothing else', () => {
    const expected = new Map<string, string[]>();
    for (const { path, method } of describedOperations()) expected.set(path, [...(expected.get(path) ?? []), method.toLowerCase()].sort());
    const methodsOf = (item: Json) => Object.keys(item).filter((key) => key !== 'parameters').sort();
    expect(Object.fromEntries(Object.entries(document.paths as Json).map(([path, item]) => [path, methodsOf(item)]))).toEqual(Object.fromEntries(expected));
  });

  it('When a path has parameters, then each is declared once as a required UUID path parameter', () => {
    for (const [path, item] of Object.entries(document.paths as Json)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name);
      expect((item.parameters ?? []).map((p: Json) => p.name)).toEqual(names);
      for (const parameter of item.parameters ?? []) expect(parameter).toMatchObject({ in: 'path', required: true, schema: { type: 'string', format: 'uuid' } });
    }
  });

  it('When the operations are read, then each has a unique operationId, its title as summary, and a response for every possible status', () => {
    const ids = new Set<string>();
    for (const { resource, route, path, method, operation } of describedOperations()) {
      const openApi = documented(path, method);
      ids.add(openApi.operationId);
      expect(openApi.summary).toBe(operation.title);
      const contract = operationContract({ resource, route, method, operation });
      expect(Object.keys(openApi.responses)).toEqual(contract.statuses.map(({ status }) => String(status)));
      // The description's own statuses are among them, and so is every status of the chain steps that apply.
      for (const status of operation.possibleStatus) expect(openApi.responses[String(status)]).toBeDefined();
    }
    expect(ids.size).toBe(describedOperations().length);
  });

  it('When POST /api/organizations is read, then its body is the committed Organization create schema, which requires name', () => {
    const body = documented('/api/organizations', 'POST').requestBody;
    expect(body.required).toBe(true);
    expect(Object.keys(body.content).sort()).toEqual(JSON_TYPES);
    const schema = component(body.content['application/json'].schema.$ref);
    expect(schema.required).toContain('name');
    const { $id: _id, $schema: _dialect, ...committed } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'schemas', 'Organization.create.json'), 'utf8'));
    expect(schema).toEqual(committed);
  });

  it('When an operation expects a body, then exactly its accepted media types are documented (merge patch for PATCH); otherwise it has none', () => {
    for (const { path, method, operation } of describedOperations()) {
      const body = documented(path, method).requestBody;
      if (!operation.expects) {
        expect(body).toBeUndefined();
        continue;
      }
      expect(Object.keys(body.content).sort()).toEqual((operation.accepts ?? JSON_TYPES).slice().sort());
      const mode = method === 'POST' ? 'create' : 'update';
      for (const media of Object.values(body.content) as Json[]) expect(media.schema).toEqual({ $ref: `#/components/schemas/${operation.expects}.${mode}` });
    }
    expect(Object.keys(documented('/api/organizations/{id}', 'PATCH').requestBody.content)).toEqual(['application/merge-patch+json']);
  });

  it('When an operation expects a body, then it reads the Prefer header (handling=strict) and may answer Preference-Applied; otherwise neither', () => {
    const prefer = { $ref: '#/components/parameters/Prefer' };
    const applied = { $ref: '#/components/headers/Preference-Applied' };
    for (const { path, method, operation } of describedOperations()) {
      const { parameters = [], responses } = documented(path, method);
      const answers = Object.values(responses as Record<string, Json>).filter((r) => r.headers?.['Preference-Applied']);
      if (!operation.expects) {
        expect({ path, method, prefer: parameters.filter((p: Json) => p.$ref === prefer.$ref), answers }).toEqual({ path, method, prefer: [], answers: [] });
        continue;
      }
      expect(parameters).toContainEqual(prefer);
      expect(responses[String(operation.status)].headers['Preference-Applied']).toEqual(applied);
      expect(responses['422'].headers['Preference-Applied']).toEqual(applied);
    }
    expect(component('#/components/parameters/Prefer')).toMatchObject({ name: 'Prefer', in: 'header', required: false, schema: { type: 'string' } });
    expect(component('#/components/parameters/Prefer').description).toContain('handling=strict');
    expect(component('#/components/headers/Preference-Applied')).toMatchObject({ schema: { enum: ['handling=strict', 'handling=lenient'] } });
    expect(component('#/components/headers/Preference-Applied').required).toBeFalsy();
  });

  it('When an operation can fail, then each 4xx and 5xx is an application/problem+json problem, a 422 lists violations, a 401 names its WWW-Authenticate challenge, a 429 and a 503 their Retry-After', () => {
    for (const { path, method } of describedOperations()) {
      const failures = Object.keys(documented(path, method).responses).map(Number).filter((s) => s >= 400);
      expect(failures).toEqual(expect.arrayContaining([406, 500, 503]));
      for (const status of failures) {
        const response = documented(path, method).responses[String(status)];
        if (status === 429 || status === 503) expect(response.headers['Retry-After']).toEqual({ $ref: '#/components/headers/Retry-After' });
        expect(Object.keys(response.content)).toEqual(['application/problem+json']);
        expect(response.content['application/problem+json'].schema).toEqual({ $ref: `#/components/schemas/${status === 422 ? 'ConstraintViolationList' : 'Error'}` });
        if (status === 401) expect(response.headers['WWW-Authenticate']).toBeDefined();
      }
    }
    const violation = component(component('#/components/schemas/ConstraintViolationList').properties.violations.items.$ref);
    expect(Object.keys(violation.properties)).toEqual(expect.arrayContaining(['propertyPath', 'message', 'code', 'hint', 'payload']));
  });

  it('When an operation succeeds, then it returns its resource, a collection page, or nothing (204), as JSON-LD and JSON', () => {
    for (const { path, method, operation } of describedOperations()) {
      const response = documented(path, method).responses[String(operation.status)];
      if (operation.returns === 'owl:Nothing') {
        expect(response.content).toBeUndefined();
        continue;
      }
      const profiles = ['application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"', 'application/ld+json; profile="http://www.w3.org/ns/json-ld#flattened"'];
      expect(Object.keys(response.content).sort()).toEqual([...JSON_TYPES, ...profiles, ...(method === 'GET' ? ['text/html'] : [])].sort());
      const ref: string = response.content['application/ld+json'].schema.$ref;
      expect(response.content['application/json'].schema.$ref).toBe(ref);
      const schema = component(ref);
      if (operation.returns === 'hydra:Collection') expect(schema.properties['@type'].const).toBe('hydra:Collection');
      else expect(schema.properties['@type'].const).toBe(operation.returns);
    }
  });

  it('When a collection page is read, then it is self-contained (no allOf) and its hydra:member items are the resource it holds, or its identifiers-only view', () => {
    const held: Record<string, string> = {
      '/api/organizations': 'Organization',
      '/api/organizations/{organizationId}/members': 'Member',
      '/api/me/invitations': 'Invitation',
      '/api/me/installations': 'Integration',
      '/api/me/joinable_organizations': 'JoinableOrganization',
    };
    for (const [path, name] of Object.entries(held)) {
      const page = component(documented(path, 'GET').responses['200'].content['application/json'].schema.$ref);
      expect(page.allOf).toBeUndefined();
      expect(page.required).toEqual(expect.arrayContaining(['@id', '@type', 'hydra:totalItems', 'hydra:member', 'hydra:view']));
      const items = page.properties['hydra:member'].items;
      const refs = (items.oneOf ?? [items]).map((s: Json) => s.$ref);
      expect(refs[0]).toBe(`#/components/schemas/${name}`);
      for (const ref of refs.slice(1)) expect(component(ref).required).toEqual(expect.arrayContaining(['@id', '@type', 'id', 'ip_restricted']));
    }
  });

  it('When an output schema is read, then it requires every property each answer carries, and leaves optional only what some state leaves out', () => {
    const schemas = document.components.schemas;
    expect(schemas.Organization.required).toEqual(expect.arrayContaining(['@id', '@type', 'id', 'name', 'slug', 'metadata', 'invites_enabled', 'ip_allowlist', 'max_members', 'created_at']));
    expect(schemas.Organization.required).not.toEqual(expect.arrayContaining(['billing_email']));
    expect(schemas.Organization.required).not.toContain('members');
    expect(schemas.Invitation.required).toEqual(expect.arrayContaining(['id', 'email', 'role', 'status', 'expires_at', 'created_by']));
    expect(schemas.Invitation.required).not.toContain('accept');
    expect(schemas.Error.required).toEqual(['type', 'title', 'status', 'detail', 'instance', 'request_id']);
    expect(schemas.ConstraintViolation.required).toEqual(['propertyPath', 'message', 'code']);
  });

  it('When embedded partners are read, then each is an EmbeddedPartner with its id, email and name', () => {
    const schemas = document.components.schemas;
    for (const [name, key] of [['Invitation', 'created_by'], ['Invitation', 'accepted_by'], ['Invitation', 'revoked_by'], ['Integration', 'partner'], ['Integration', 'created_by'], ['AuditEvent', 'actor']]) {
      expect(schemas[name].properties[key].$ref).toBe('#/components/schemas/EmbeddedPartner');
    }
    expect(schemas.EmbeddedPartner.required).toEqual(['@type', 'id', 'email', 'name']);
  });

  it('When a request body schema is read, then it has no default anywhere (a generated type would require it, a merge patch would reset it), and says the default in words', () => {
    const inputs = Object.entries(document.components.schemas as Json).filter(([name]) => /\.(create|update)$/.test(name));
    expect(inputs.length).toBeGreaterThan(0);
    for (const [, schema] of inputs) expect(JSON.stringify(schema)).not.toMatch(/"default":/);
    expect(document.components.schemas['Organization.create'].properties.invites_enabled.description).toMatch(/When not sent: true\./);
    expect(document.components.schemas['Organization.update'].properties.metadata.description).toMatch(/at most 25/);
  });

  it('When the entrypoint is read, then it needs no token, and every other operation needs a bearer token or an API key with its scope', () => {
    expect(document.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      apiKey: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }),
    });
    expect(document.security).toEqual(CALLER_SECURITY);
    for (const { path, method, operation } of describedOperations()) {
      const scopes = operation.scope ? [operation.scope] : [];
      expect(documented(path, method).security).toEqual(path === '/api' ? [] : [{ bearer: scopes }, { apiKey: scopes }]);
    }
  });

  it("When collections are listed, then page and itemsPerPage (from 1, capped at 100, default 30) are documented, the after and before cursors where the collection pages by them, and each of the collection's search variables", () => {
    const parameters = (path: string) => Object.fromEntries(documented(path, 'GET').parameters.filter((p: Json) => p.in === 'query').map((p: Json) => [p.name, p]));
    const collections = describedOperations().filter((o) => o.method === 'GET' && o.operation.returns === 'hydra:Collection');
    expect(collections.length).toBeGreaterThan(0);
    for (const { path, resource, target, operation } of collections) {
      const byName = parameters(path);
      const cursors = operation.cursors ? ['after', 'before'] : [];
      for (const name of cursors) expect(byName[name]).toMatchObject({ in: 'query', schema: { type: 'string', maxLength: 200 } });
      expect(byName.page).toMatchObject({ in: 'query', schema: { type: 'integer', minimum: 1 } });
      expect(byName.itemsPerPage).toMatchObject({ in: 'query', schema: { type: 'integer', minimum: 1, default: 30 } });
      // The maximum is what is read (nine digits), not what a page holds.
      expect(byName.itemsPerPage.schema.maximum).toBe(999_999_999);
      expect(byName.page.schema.maximum).toBe(999_999_999);
      expect(byName.itemsPerPage.description).toContain('More than 100 is read as 100');
      const search = target === 'collection' ? Object.entries(resource.search ?? {}) : [];
      expect(Object.keys(byName).sort()).toEqual(['itemsPerPage', 'page', ...cursors, ...search.map(([name]) => name)].sort());
      for (const [name, variable] of search) expect(byName[name]).toMatchObject({ in: 'query', description: variable.description, schema: variable.schema });
    }
    expect(parameters('/api/organizations/{organizationId}/members').role.schema.enum).toEqual([...ROLES]);
    expect(parameters('/api/organizations/{organizationId}/invitations').status.schema.enum).toEqual([...INVITATION_STATUSES]);
    expect(Object.keys(parameters('/api/organizations'))).toEqual(expect.arrayContaining(['name', 'order[name]', 'order[created_at]']));
    const direction = new RegExp(parameters('/api/organizations')['order[name]'].schema.pattern, 'u');
    expect(['asc', 'desc', 'ASC', 'DESC', 'Desc', 'aSc'].filter((d) => direction.test(d))).toHaveLength(6);
    expect(['', 'up', 'ascending', ' asc', 'asc\n'].filter((d) => direction.test(d))).toEqual([]);
  });
});

describe('Responses against the OpenAPI document', () => {
  const MERGE_PATCH = 'application/merge-patch+json';

  /** The response matches the schema documented for its path, method, status and media type, with no undocumented key. */
  function expectDocumented(res: Response, method: string, path: string): void {
    const response = documented(path, method).responses[String(res.status)];
    expect(response).toBeDefined();
    for (const [header, declared] of Object.entries((response.headers ?? {}) as Json)) {
      if ((declared.$ref ? component(declared.$ref) : declared).required) expect(res.headers[header.toLowerCase()]).toBeDefined();
    }
    if (!response.content) {
      expect(res.text).toBe('');
      return;
    }
    const media = response.content[res.type];
    expect(media).toBeDefined();
    const validate = componentsValidator(closedComponents()).compile({ type: 'object', $ref: `${DOCUMENT_ID}${media.schema.$ref}`, unevaluatedProperties: false });
    const body: unknown = JSON.parse(res.text);
    if (!validate(body)) console.error(JSON.stringify({ path, status: res.status, errors: validate.errors }, null, 2));
    expect(validate.errors ?? []).toEqual([]);
  }

  it('When an organization is created, then the 201 body and its Location match the documented Organization', async () => {
    const partner = await api.partner();
    const res = await api.http().post('/api/organizations').set(partner.auth).send({ name: 'Documented Co', metadata: { crm_id: 'C-1' }, ip_allowlist: ['10.0.0.0/8', '127.0.0.0/8'] });
    expect(res.status).toBe(201);
    expectDocumented(res, 'POST', '/api/organizations');
  });

  it('When collections, members, invitations and the caller are read, as JSON-LD and as JSON, then each matches its documented schema', async () => {
    const owner = await api.partner();
    const invitee = await api.partner();
    const org = (await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Documented Members' })).body;
    const orgPath = '/api/organizations/{id}';
    const membersPath = '/api/organizations/{organizationId}/members';
    const invitationsPath = '/api/organizations/{organizationId}/invitations';

    expectDocumented(await api.http().get('/api'), 'GET', '/api');
    expectDocumented(await api.http().get('/api/organizations').set(owner.auth).query({ name: 'documented', 'order[name]': 'desc' }), 'GET', '/api/organizations');
    expectDocumented(await api.http().get(org['@id']).set(owner.auth).set('Accept', 'application/json'), 'GET', orgPath);
    expectDocumented(await api.http().get(org.all_members).set(owner.auth), 'GET', membersPath);

    const invited = await api.http().post(org.invitations).set(owner.auth).send({ email: invitee.email, role: 'admin' });
    expectDocumented(invited, 'POST', invitationsPath);
    expectDocumented(await api.http().get(org.invitations).set(owner.auth).query({ status: 'pending' }), 'GET', invitationsPath);
    expectDocumented(await api.http().get('/api/me/invitations').set(invitee.auth), 'GET', '/api/me/invitations');
    expectDocumented(await api.http().get('/api/me').set(invitee.auth), 'GET', '/api/me');
    expectDocumented(await api.http().post(invited.body.accept).set(invitee.auth), 'POST', `${invitationsPath}/{id}/accept`);

    const member = (await api.http().get(org.all_members).set(owner.auth)).body['hydra:member'].find((m: Json) => m.email === invitee.email);
    const patched = await api.http().patch(member['@id']).set(owner.auth).set('Content-Type', MERGE_PATCH).send(JSON.stringify({ role: 'billing' }));
    expectDocumented(patched, 'PATCH', `${membersPath}/{id}`);
    expectDocumented(await api.http().delete(member['@id']).set(owner.auth), 'DELETE', `${membersPath}/{id}`);
  });

  it('When an integration is installed, read, listed, found from /api/me, changed and disconnected, then each answer matches its documented schema', async () => {
    const owner = await api.partner();
    const crm = await api.partner();
    const org = (await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Documented Integrations' })).body;
    const integrationsPath = '/api/organizations/{organizationId}/integrations';
    const installed = await api.http().post(org.integrations).set(owner.auth).send({ partner: crm.email, scopes: ['organization:read'], config: { environment: 'eu' } });
    expect(installed.status).toBe(201);
    expectDocumented(installed, 'POST', integrationsPath);
    expectDocumented(await api.http().get(org.integrations).set(owner.auth), 'GET', integrationsPath);
    expectDocumented(await api.http().get(installed.body['@id']).set(crm.auth).set('Accept', 'application/json'), 'GET', `${integrationsPath}/{id}`);
    expectDocumented(await api.http().get('/api/me/installations').set(crm.auth), 'GET', '/api/me/installations');
    expectDocumented(await api.http().get('/api/organizations').set(crm.auth), 'GET', '/api/organizations');
    const changed = await api.http().patch(installed.body['@id']).set(owner.auth).set('Content-Type', MERGE_PATCH).send(JSON.stringify({ config: { environment: null } }));
    expectDocumented(changed, 'PATCH', `${integrationsPath}/{id}`);
    expectDocumented(await api.http().get(org['@id']).set(crm.auth), 'GET', '/api/organizations/{id}');
    expectDocumented(await api.http().delete(installed.body['@id']).set(owner.auth), 'DELETE', `${integrationsPath}/{id}`);
  });

  it('When a partner finds an organization by its email domain and joins it, then the list, the item, the join and its refusals match their documented schemas', async () => {
    const owner = await api.partner();
    const org = (await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Documented Joins', auto_join_domains: ['example.com'], max_members: 2 })).body;
    const joiner = await api.partner(); // its email is at example.com
    const late = await api.partner();
    const joinablePath = '/api/me/joinable_organizations';
    expectDocumented(await api.http().get('/api/me').set(joiner.auth), 'GET', '/api/me');
    expectDocumented(await api.http().get(joinablePath).set(joiner.auth), 'GET', joinablePath);
    expectDocumented(await api.http().get(`${joinablePath}/${org.id}`).set(joiner.auth).set('Accept', 'application/json'), 'GET', `${joinablePath}/{id}`);
    expectDocumented(await api.http().post(`${joinablePath}/${org.id}/join`).set(joiner.auth), 'POST', `${joinablePath}/{id}/join`);
    expectDocumented(await api.http().post(`${joinablePath}/${org.id}/join`).set(late.auth), 'POST', `${joinablePath}/{id}/join`); // 409 full
    expectDocumented(await api.http().get(`${joinablePath}/${org.id}`).set(joiner.auth), 'GET', `${joinablePath}/{id}`); // 404 now
  });

  it('When a request is refused, then the 401, 404 and 422 problems match the documented Error and ConstraintViolationList', async () => {
    const partner = await api.partner();
    expectDocumented(await api.http().get('/api/organizations'), 'GET', '/api/organizations');
    expectDocumented(await api.http().get('/api/organizations/00000000-0000-4000-8000-000000000000').set(partner.auth), 'GET', '/api/organizations/{id}');
    const invalid = await api.http().post('/api/organizations').set(partner.auth).send({ slug: 'Not A Slug', max_members: -1 });
    expect(invalid.status).toBe(422);
    expectDocumented(invalid, 'POST', '/api/organizations');
    const strict = await api.http().post('/api/organizations').set(partner.auth).set('Prefer', 'handling=strict').send({ name: 'Strict', id: 'mine' });
    expect(strict.status).toBe(422);
    expect(strict.headers['preference-applied']).toBe('handling=strict');
    expectDocumented(strict, 'POST', '/api/organizations');
  });
});
