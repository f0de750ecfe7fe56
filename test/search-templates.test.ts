import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import UriTemplate from '@hyperjump/uri-template';
import { searchTemplate } from '../src/http/pagination.js';
import { resources } from '../src/resources/registry.js';
import { startApi, type Api } from './support/harness.js';

/**
 * Issue 20: every hydra:search template is valid RFC 6570, read by a strict parser
 * (@hyperjump/uri-template refuses a `[` in a variable name and a malformed pct-encoding;
 * `uri-template` refuses the first but not the second), and what it expands to works.
 */

/** RFC 6570 §2.3: varname = varchar *( ["."] varchar ), varchar = ALPHA / DIGIT / "_" / pct-encoded. */
const VARNAME = /^(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})+(?:\.(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})+)*$/;

type Mapping = { variable: string; property: string };
type Search = { 'hydra:template': string; 'hydra:mapping': Mapping[] };

let api: Api;
let owner: Awaited<ReturnType<Api['partner']>>;
let org: Record<string, any>;
beforeAll(async () => {
  api = await startApi();
  owner = await api.partner();
  for (const name of ['beta', 'Alpha', 'Zeta']) expect((await api.http().post('/api/organizations').set(owner.auth).send({ name })).status).toBe(201);
  org = (await api.http().get('/api/organizations?name=Alpha').set(owner.auth)).body['hydra:member'][0];
  expect((await api.http().post(org.invitations).set(owner.auth).send({ email: 'guest@templates.example', role: 'member' })).status).toBe(201);
});
afterAll(() => api.close());

/** What a strict parser makes of a template: its variables in order, or why it refused it. */
function strictlyParsed(template: string): { variables: string[] } | { refused: string } {
  try {
    UriTemplate.parse(template);
  } catch (error) {
    return { refused: (error as Error).message };
  }
  const expressions = [...template.matchAll(/\{[?&]?([^}]*)\}/g)].flatMap((m) => m[1]!.split(','));
  return { variables: expressions };
}

const sortedNames = async (query: string) => {
  const res = await api.http().get(`/api/organizations?${query}`).set(owner.auth);
  expect(res.status).toBe(200);
  return res.body['hydra:member'].map((o: { name: string }) => o.name);
};

describe('The search templates of every collection, read by a strict RFC 6570 parser', () => {
  it('When every described collection with a search is read over HTTP, then its template parses strictly and each mapping names one of its variables, percent-decoded', async () => {
    const collections = { Organization: '/api/organizations', Member: org.all_members, Invitation: org.invitations, AuditEvent: org.audit_events, Event: '/api/events' };
    const searchable = resources.filter((r) => r.search);
    expect(searchable.map((r) => r.name).sort()).toEqual(Object.keys(collections).sort());
    for (const resource of searchable) {
      const path = collections[resource.name as keyof typeof collections];
      const res = await api.http().get(path).set(owner.auth);
      expect(res.status).toBe(200);
      const search = res.body['hydra:search'] as Search;
      const parsed = strictlyParsed(search['hydra:template']) as { variables: string[] };
      expect({ resource: resource.name, refused: (parsed as { refused?: string }).refused }).toEqual({ resource: resource.name, refused: undefined });
      const variables = parsed.variables;
      expect({ resource: resource.name, invalid: variables.filter((v) => !VARNAME.test(v)) }).toEqual({ resource: resource.name, invalid: [] });
      // Each mapping names one template variable percent-decoded (order[name] for order%5Bname%5D,
      // as API Platform's Admin reads it), and together they are the description's query parameters.
      expect(search['hydra:mapping'].map((m) => m.variable)).toEqual(variables.map(decodeURIComponent));
      expect(variables.map(decodeURIComponent)).toEqual(Object.keys(resource.search!));
    }
  });

  it('When a bracketed name were written as is, then the strict parser would refuse it (the check can fail)', () => {
    expect(strictlyParsed('/api/organizations{?name,order[name]}')).toHaveProperty('refused');
    expect(strictlyParsed('/api/organizations{?order%5Bname%5}')).toHaveProperty('refused');
    const template = searchTemplate(resources.find((r) => r.name === 'Organization')!, '/api/organizations')!;
    expect(strictlyParsed(template['hydra:template'] as string)).toEqual({ variables: ['name', 'order%5Bname%5D', 'order%5Bcreated_at%5D'] });
  });

  it('When the organizations template is expanded by the strict parser with a sort and a filter, then the URL it yields sorts and filters', async () => {
    const { body } = await api.http().get('/api/organizations').set(owner.auth);
    const template = (body['hydra:search'] as Search)['hydra:template'];
    const descending = UriTemplate.expand(template, { 'order%5Bname%5D': 'desc' });
    expect(descending).toBe('/api/organizations?order%5Bname%5D=desc');
    expect(await sortedNames(descending.split('?')[1]!)).toEqual(['Zeta', 'beta', 'Alpha']);
    const filtered = UriTemplate.expand(template, { name: 'ta', 'order%5Bname%5D': 'asc' });
    expect(await sortedNames(filtered.split('?')[1]!)).toEqual(['beta', 'Zeta']);
  });

  it('When a client sends order[name] with brackets or percent-encoded, then both sort alike, in both directions', async () => {
    for (const direction of ['asc', 'desc', 'DESC']) {
      const bracketed = await sortedNames(`order[name]=${direction}`);
      expect(await sortedNames(`order%5Bname%5D=${direction}`)).toEqual(bracketed);
      expect(bracketed).toEqual(direction === 'asc' ? ['Alpha', 'beta', 'Zeta'] : ['Zeta', 'beta', 'Alpha']);
    }
    // A bad direction is refused by either spelling, naming the parameter as the description does.
    for (const query of ['order[name]=up', 'order%5Bname%5D=up']) {
      const res = await api.http().get(`/api/organizations?${query}`).set(owner.auth);
      expect(res.status).toBe(400);
      expect(res.body.detail).toContain('"order[name]"');
    }
  });
});
