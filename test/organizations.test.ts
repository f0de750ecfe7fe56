import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApi, type Api } from './support/harness.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('Creating an organization', () => {
  it('When a partner posts a name, then 201 with Location, and the partner is its sole owner', async () => {
    const partner = await api.partner('Acme Integrations');
    const res = await api.http().post('/api/organizations').set(partner.auth).send({ name: '  Acme Corp  ' });
    expect(res.status).toBe(201);
    expect(res.type).toBe('application/ld+json');
    expect(res.body['@context']).toBe('/api/contexts/Organization');
    expect(res.body['@type']).toBe('Organization');
    expect(res.body['@id']).toBe(`/api/organizations/${res.body.id}`);
    expect(res.headers.location).toBe(`${api.base}/api/organizations/${res.body.id}`);
    expect(res.body.name).toBe('Acme Corp');
    expect(res.body.slug).toBe('acme-corp');
    expect(res.body.owners).toHaveLength(1);
    expect(res.body.owners[0]).toMatchObject({ '@type': 'Member', email: partner.email, name: 'Acme Integrations', role: 'owner' });
    expect(res.body.members).toEqual(res.body.owners);
    expect(res.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});
