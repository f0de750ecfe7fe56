import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApi, type Api } from './support/harness.js';
import { expand } from './support/jsonld.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const HYDRA = 'http://www.w3.org/ns/hydra/core#';
type Caller = Awaited<ReturnType<Api['partner']>>;

/** Created one after the other, a few milliseconds apart, so creation times never tie. */
async function organizations(caller: Caller, names: string[]) {
  for (const name of names) {
    expect((await api.http().post('/api/organizations').set(caller.auth).send({ name })).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 3));
  }
}

const names = async (caller: Caller, query: string) => {
  const res = await api.http().get(`/api/organizations?${query}`).set(caller.auth);
  expect(res.status).toBe(200);
  return res.body['hydra:member'].map((o: { name: string }) => o.name);
};

describe('Searching the organizations collection', () => {
  it('When the collection is read, then hydra:search is an IriTemplate with a mapping for every variable', async () => {
    const caller = await api.partner();
    const res = await api.http().get('/api/organizations').set(caller.auth);
    const search = res.body['hydra:search'];
    // RFC 6570 varnames allow no brackets: the query parameter order[name] is the variable order%5Bname%5D;
    // its mapping names it decoded, as API Platform's Admin reads it.
    expect(search).toMatchObject({ '@type': 'hydra:IriTemplate', 'hydra:template': '/api/organizations{?name,order%5Bname%5D,order%5Bcreated_at%5D}', 'hydra:variableRepresentation': 'hydra:BasicRepresentation' });
    expect(search['hydra:mapping'].map((m: { variable: string; property: string }) => [m.variable, m.property])).toEqual([
      ['name', 'name'],
      ['order[name]', 'name'],
      ['order[created_at]', 'created_at'],
    ]);
  });

  it('When the template is expanded with jsonld.js, then each mapping names the property by its IRI', async () => {
    const caller = await api.partner();
    const res = await api.http().get('/api/organizations').set(caller.auth);
    const [collection] = await expand(api, res.body, '/api/organizations');
    const [search] = collection[`${HYDRA}search`];
    expect(search['@type']).toEqual([`${HYDRA}IriTemplate`]);
    expect(search[`${HYDRA}variableRepresentation`]).toEqual([{ '@id': `${HYDRA}BasicRepresentation` }]);
    const properties = search[`${HYDRA}mapping`].map((m: Record<string, { '@id': string }[]>) => m[`${HYDRA}property`][0]['@id']);
    expect(properties).toEqual(['https://schema.org/name', 'https://schema.org/name', 'https://schema.org/dateCreated']);
  });

  it('When filtered by name, then only names containing it, without regard to case, also outside ASCII, and the total follows', async () => {
    const caller = await api.partner();
    await organizations(caller, ['École Polytechnique', 'ECOLE DES MINES', 'Lycée Hoche', "L'école du Louvre"]);
    expect(await names(caller, `name=${encodeURIComponent('éCOLE')}`)).toEqual(['École Polytechnique', "L'école du Louvre"]);
    expect(await names(caller, 'name=ecole')).toEqual(['ECOLE DES MINES']);
    const res = await api.http().get('/api/organizations?name=e&itemsPerPage=1').set(caller.auth);
    expect(res.body['hydra:totalItems']).toBe(4);
    expect(res.body['hydra:view']['hydra:next']).toBe('/api/organizations?name=e&itemsPerPage=1&page=2');
  });

  it("When the name filter holds LIKE's wildcards, then they match only themselves", async () => {
    const caller = await api.partner();
    await organizations(caller, ['100% Organic', '1000 Lakes', 'snake_case Inc', 'snakecase Ltd']);
    expect(await names(caller, `name=${encodeURIComponent('100%')}`)).toEqual(['100% Organic']);
    expect(await names(caller, 'name=snake_')).toEqual(['snake_case Inc']);
  });

  it('When ordered by name or by created_at, then in that order, the same on every engine', async () => {
    const caller = await api.partner();
    await organizations(caller, ['beta', 'Alpha', 'ähnlich', 'Zeta', 'alpha two']);
    expect(await names(caller, 'order[name]=asc')).toEqual(['Alpha', 'alpha two', 'beta', 'Zeta', 'ähnlich']);
    expect(await names(caller, 'order[name]=desc')).toEqual(['ähnlich', 'Zeta', 'beta', 'alpha two', 'Alpha']);
    expect(await names(caller, 'order[created_at]=desc')).toEqual(['alpha two', 'Zeta', 'ähnlich', 'Alpha', 'beta']);
    expect(await names(caller, '')).toEqual(['beta', 'Alpha', 'ähnlich', 'Zeta', 'alpha two']);
  });

  it('When the direction is in upper or mixed case (ASC, Desc), as API Platform Admin sends it, then it sorts as asc and desc do', async () => {
    const caller = await api.partner();
    await organizations(caller, ['beta', 'Alpha', 'Zeta']);
    expect(await names(caller, 'order[name]=ASC')).toEqual(await names(caller, 'order[name]=asc'));
    expect(await names(caller, 'order[name]=ASC')).toEqual(['Alpha', 'beta', 'Zeta']);
    expect(await names(caller, 'order[name]=Desc')).toEqual(['Zeta', 'beta', 'Alpha']);
    expect(await names(caller, 'order%5Bcreated_at%5D=DESC')).toEqual(['Zeta', 'Alpha', 'beta']);
    const res = await api.http().get('/api/organizations?order[name]=DESC&itemsPerPage=1').set(caller.auth);
    expect(res.body['hydra:view']['hydra:next']).toBe('/api/organizations?order%5Bname%5D=DESC&itemsPerPage=1&page=2');
  });

  it.each([
    ['order[name]=up', 'order[name]'],
    ['order[name]=ascending', 'order[name]'],
    ['order[name]=asc&order[name]=desc', 'order[name]'],
    ['order[created_at]=', 'order[created_at]'],
    ['name=', 'name'],
    ['name=a&name=b', 'name'],
    [`name=${'x'.repeat(201)}`, 'name'],
  ])('When the query is %s, then 400 naming %s', async (query, variable) => {
    const caller = await api.partner();
    const res = await api.http().get(`/api/organizations?${query}`).set(caller.auth);
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/problem+json');
    expect(res.body.detail).toContain(`"${variable}"`);
  });

  it('When the query holds an order[…] key or a parameter the collection does not offer, then it is ignored, as API Platform does: the same page as without it', async () => {
    const caller = await api.partner();
    await organizations(caller, ['beta', 'Alpha', 'gamma']);
    const plain = await api.http().get('/api/organizations?order[name]=asc').set(caller.auth);
    const ignoring = await api.http().get('/api/organizations?order[name]=asc&order[colour]=sideways&utm_source=newsletter&order=name').set(caller.auth);
    expect(ignoring.status).toBe(200);
    expect(ignoring.body['hydra:member'].map((o: { name: string }) => o.name)).toEqual(['Alpha', 'beta', 'gamma']);
    expect(ignoring.body['hydra:member']).toEqual(plain.body['hydra:member']);
    expect(ignoring.body['hydra:totalItems']).toBe(3);
  });
});

describe('Searching members and invitations', () => {
  it('When members and invitations are listed, then their templates offer role and status', async () => {
    const owner = await api.partner();
    const org = (await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Templates' })).body;
    const members = await api.http().get(org.all_members).set(owner.auth);
    expect(members.body['hydra:search']['hydra:template']).toBe(`${org.all_members}{?role}`);
    expect(members.body['hydra:search']['hydra:mapping']).toEqual([{ '@type': 'IriTemplateMapping', variable: 'role', property: 'role', required: false, 'sh:in': ['owner', 'admin', 'billing', 'member'] }]);
    const invitations = await api.http().get(org.invitations).set(owner.auth);
    expect(invitations.body['hydra:search']['hydra:template']).toBe(`${org.invitations}{?status}`);
  });
});
