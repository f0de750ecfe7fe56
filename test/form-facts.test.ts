import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { VOCABULARY } from '../src/resources/description.js';
import { SCOPES } from '../src/resources/partner/scopes.js';
import { startApi, type Api } from './support/harness.js';
import { expand } from './support/jsonld.js';

const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const SH = 'http://www.w3.org/ns/shacl#';
/* Our vocabulary, however the documentation names it (relative to it, or absolute). */
const OURS = (api: Api) => new URL(VOCABULARY, `${api.base}/api/docs.jsonld`).href;

type Node = Record<string, any>;

let api: Api;
let classes: Node[];
beforeAll(async () => {
  api = await startApi();
  const doc = await api.http().get('/api/docs.jsonld');
  const [expanded] = await expand(api, doc.body, '/api/docs.jsonld');
  classes = expanded[`${HYDRA}supportedClass`];
});
afterAll(() => api.close());

/** The expanded hydra:SupportedProperty of a class (by rdfs:label), found by its hydra:title. */
function supported(label: string, title: string): Node {
  const described = classes.find((c) => c['http://www.w3.org/2000/01/rdf-schema#label']?.[0]?.['@value'] === label)!;
  return described[`${HYDRA}supportedProperty`].find((p: Node) => p[`${HYDRA}title`][0]['@value'] === title);
}

const listOf = (node: Node, term: string) => (node[term]?.[0]?.['@list'] ?? []).map((v: Node) => v['@value']);
const valueOf = (node: Node, term: string) => node[term]?.[0]?.['@value'];

describe('What the API documentation tells a form builder', () => {
  it('When a property takes one of a few values, then sh:in lists them, for one value and for each of a list', () => {
    expect(listOf(supported('Invitation', 'role'), `${SH}in`)).toEqual(['owner', 'admin', 'billing', 'member']);
    expect(listOf(supported('Invitation', 'status'), `${SH}in`)).toEqual(['pending', 'accepted', 'revoked', 'expired']);
    expect(listOf(supported('Integration', 'scopes'), `${SH}in`)).toEqual([...SCOPES]);
    expect(supported('Organization', 'name')[`${SH}in`]).toBeUndefined();
  });

  it('When a property holds a list, then sh:maxCount says how many values (1 for the others)', () => {
    expect(valueOf(supported('Organization', 'ip_allowlist'), `${SH}maxCount`)).toBe(100);
    expect(valueOf(supported('Integration', 'scopes'), `${SH}maxCount`)).toBe(SCOPES.length);
    expect(valueOf(supported('Organization', 'name'), `${SH}maxCount`)).toBe(1);
    expect(valueOf(supported('Organization', 'metadata'), `${SH}maxCount`)).toBe(1);
  });

  it('When an optional property has a default, then sh:defaultValue holds it as the API reads it: a typed literal in RDF, the JSON value in the document', async () => {
    const defaultOf = (label: string, title: string) => supported(label, title)[`${SH}defaultValue`]?.[0];
    expect(defaultOf('Organization', 'invites_enabled')).toEqual({ '@value': true });
    expect(defaultOf('Organization', 'max_members')).toEqual({ '@value': 0 });
    // No @json term (JSON-LD 1.0 processors refuse it): an empty list default is no statement in RDF, `[]` in the JSON.
    expect(defaultOf('Organization', 'ip_allowlist')).toBeUndefined();
    const doc = (await api.http().get('/api/docs.jsonld')).body;
    const organization = doc['hydra:supportedClass'].find((c: Node) => c['rdfs:label'] === 'Organization');
    expect(organization['hydra:supportedProperty'].find((p: Node) => p['hydra:title'] === 'ip_allowlist')['sh:defaultValue']).toEqual([]);
    expect(defaultOf('Organization', 'name')).toBeUndefined(); // required: nothing to default
  });

  it('When a property may be sent on create only, then create_only says so and hydra:writeable is false (an update may not write it)', () => {
    for (const [label, title] of [['Organization', 'is_personal'], ['Integration', 'partner'], ['Member', 'email']]) {
      expect(valueOf(supported(label, title), `${OURS(api)}create_only`)).toBe(true);
      expect(valueOf(supported(label, title), `${HYDRA}writeable`)).toBe(false);
    }
    expect(supported('Organization', 'name')[`${OURS(api)}create_only`]).toBeUndefined();
  });

  it('When a list of organizations is shown, then the class names its summary columns in order', () => {
    const organization = classes.find((c) => c['@id'] === 'https://schema.org/Organization')!;
    expect(listOf(organization, `${OURS(api)}summary`)).toEqual(['name', 'slug', 'member_count', 'created_at']);
  });

  it("When a collection's search sorts, then each order[…] mapping lists asc and desc with sh:in, and an enumerated filter its values", async () => {
    const partner = await api.partner();
    const res = await api.http().get('/api/organizations').set(partner.auth);
    const [expanded] = await expand(api, res.body, '/api/organizations');
    const mappings: Node[] = expanded[`${HYDRA}search`][0][`${HYDRA}mapping`];
    const byVariable = Object.fromEntries(mappings.map((m) => [valueOf(m, `${HYDRA}variable`), m]));
    expect(listOf(byVariable['order[name]'], `${SH}in`)).toEqual(['asc', 'desc']);
    expect(listOf(byVariable['order[created_at]'], `${SH}in`)).toEqual(['asc', 'desc']);
    expect(byVariable.name[`${SH}in`]).toBeUndefined();
  });
});
