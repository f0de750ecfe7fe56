import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { API_PREFIX, routesOf, type HttpMethod } from '../src/resources/description.js';
import { issueToken } from '../src/resources/partner/partner-use-cases.js';
import { SCOPES } from '../src/resources/partner/scopes.js';
import { resources } from '../src/resources/registry.js';
import { startApi, type Api } from './support/harness.js';
import { cli } from './support/processes.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

/** Every operation that needs a scope, with its path filled by fresh ids. */
const scoped = resources.flatMap((resource) =>
  routesOf(resource).flatMap((route) =>
    Object.entries(route.operations)
      .filter(([, operation]) => operation.scope)
      .map(([method, operation]) => [method as HttpMethod, API_PREFIX + route.path.replace(/:\w+/g, () => randomUUID()), operation.scope!] as const),
  ),
);

describe('Scoped tokens', () => {
  it.each(scoped)('When %s %s is called with a token lacking %s, then 403 naming the scope', async (method, path, scope) => {
    const partner = await api.partner();
    const { token } = await issueToken(api.db, partner.email, { scopes: SCOPES.filter((s) => s !== scope) });
    const res = await api.http()[method.toLowerCase() as 'get'](path).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(403);
    expect(res.body.type).toMatch(/\/api\/errors\/insufficient-scope$/);
    expect(res.body.detail).toContain(scope);
    expect(res.headers['www-authenticate']).toBe(`Bearer realm="linked-orgs", error="insufficient_scope", scope="${scope}"`);
  });

  it('When a read-only token reads and then writes, then the read works and the write is refused before anything changes', async () => {
    const partner = await api.partner();
    const { token, scopes } = await issueToken(api.db, partner.email, { scopes: ['organization:read'] });
    expect(scopes).toEqual(['organization:read']);
    const auth = { Authorization: `Bearer ${token}` };
    expect((await api.http().get('/api/organizations').set(auth)).status).toBe(200);
    expect((await api.http().post('/api/organizations').set(auth).send({ name: 'Not Allowed' })).status).toBe(403);
    const all = await api.http().get('/api/organizations').set(partner.auth);
    expect(all.body['hydra:totalItems']).toBe(0);
  });

  it('When the CLI issues a token with --scopes, then it prints id, token, scopes, expires_at and the database, and unknown scopes are refused', async () => {
    const partner = await api.partner();
    const issued = await cli(api.url, 'token', 'create', '--email', partner.email, '--scopes', 'member:read,organization:read', '--expires-in', '7');
    expect(issued.code).toBe(0);
    const line = JSON.parse(issued.stdout);
    expect(Object.keys(line).sort()).toEqual(['database', 'expires_at', 'id', 'scopes', 'token']);
    expect(line.database).toBe(api.url);
    expect(line.scopes).toEqual(['organization:read', 'member:read']);
    expect(Date.parse(line.expires_at) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const refused = await cli(api.url, 'token', 'create', '--email', partner.email, '--scopes', 'organization:read,everything');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('everything');
    const everything = JSON.parse((await cli(api.url, 'token', 'create', '--email', partner.email)).stdout);
    expect(everything.scopes).toEqual([...SCOPES]);
  });

  it('When the documentation and the OpenAPI document are read, then each operation names its scope', async () => {
    const docs = (await api.http().get('/api/docs.jsonld')).body;
    const organization = docs['hydra:supportedClass'].find((c: { '@id': string }) => c['@id'] === 'schema:Organization');
    const patch = organization['hydra:supportedOperation'].find((o: Record<string, string>) => o['hydra:method'] === 'PATCH');
    expect(patch.required_scope).toBe('organization:write');
    const openapi = (await api.http().get('/api/docs.json')).body;
    expect(openapi.paths['/api/organizations/{id}'].patch.security).toEqual([{ bearer: ['organization:write'] }, { apiKey: ['organization:write'] }]);
    expect(openapi.paths['/api/organizations/{organizationId}/members'].get.security).toEqual([{ bearer: ['member:read'] }, { apiKey: ['member:read'] }]);
  });
});
