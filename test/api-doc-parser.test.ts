import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseHydraDocumentation } from '@api-platform/api-doc-parser';
import { organizationDescription } from '../src/resources/organization/organization.description.js';
import { startApi, type Api } from './support/harness.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('API Platform Admin reading the API', () => {
  it('When parseHydraDocumentation reads /api, then organizations come with every field and list, create, show, edit and delete', async () => {
    const partner = await api.partner();
    const { api: parsed, status } = await parseHydraDocumentation(`${api.base}/api`, { headers: { Authorization: `Bearer ${partner.token}` } });
    expect(status).toBe(200);
    expect(parsed.title).toBe('Linked Orgs API');
    const organizations = parsed.resources!.find((r) => r.name === 'organizations')!;
    expect(organizations).toBeDefined();
    expect(organizations.url).toBe(`${api.base}/api/organizations`);
    expect(organizations.id).toBe('https://schema.org/Organization');
    expect(organizations.fields!.map((f) => f.name)).toEqual(Object.keys(organizationDescription.properties));
    expect(organizations.fields!.find((f) => f.name === 'name')).toMatchObject({ required: true, id: 'https://schema.org/name' });
    // Create-only properties (is_personal) are not writeable: Admin's one form serves edits too.
    const writable = Object.entries(organizationDescription.properties).filter(([, p]) => p.writable && !p.createOnly).map(([key]) => key);
    expect(organizations.writableFields!.map((f) => f.name)).toEqual(writable);
    expect(organizations.operations!.map((o) => o.type).sort()).toEqual(['create', 'delete', 'edit', 'list', 'show']);
    expect(organizations.operations!.every((o) => o.name.length > 0)).toBe(true);
    // Lists of values are arrays to Admin (an array input), as API Platform's xsd:array range says.
    for (const list of ['ip_allowlist', 'auto_join_domains']) expect(organizations.fields!.find((f) => f.name === list)!.type).toBe('array');
    // The entrypoint's link to the caller is no collection: Admin gets no resource (menu entry) for it.
    expect(parsed.resources!.map((r) => r.name)).toEqual(['organizations', 'events', 'webhook_endpoints']);
  });

  it("When Admin asks for a collection's parameters, then they are the variables of its hydra:search", async () => {
    const partner = await api.partner();
    const { api: parsed } = await parseHydraDocumentation(`${api.base}/api`, { headers: { Authorization: `Bearer ${partner.token}` } });
    const organizations = parsed.resources!.find((r) => r.name === 'organizations')!;
    const parameters = await organizations.getParameters!();
    // The mappings name them as the query does (order[name]), which is how Admin finds a sortable column;
    // the template itself spells them as RFC 6570 allows (order%5Bname%5D).
    expect(parameters.map((p) => p.variable)).toEqual(Object.keys(organizationDescription.search!));
    expect(parameters.map((p) => p.variable)).toEqual(['name', 'order[name]', 'order[created_at]']);
  });
});
