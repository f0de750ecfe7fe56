import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import create, { type Class, type Collection, type PartialCollectionView, type RdfResource, type RuntimeOperation } from 'alcaeus';
import Environment from '@zazuko/env/Environment.js';
import rdf from '@zazuko/env-node';
import { VOCABULARY } from '../src/resources/description.js';
import { startApi, type Api } from './support/harness.js';
import { startServerProcess, stop } from './support/processes.js';

const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const SCHEMA = 'https://schema.org/';
const RDFS_LABEL = 'http://www.w3.org/2000/01/rdf-schema#label';

let api: Api;
/**
 * The service the client walks runs in a process of its own, as it does for real clients:
 * alcaeus parses the API documentation for seconds at a time, and in one process with the
 * server that would hold up the server's own timers (its keep-alive timeout then closed a
 * connection the client had just reused: ECONNRESET under load). The harness's database is the
 * same, so partners are made with it.
 */
let service: Awaited<ReturnType<typeof startServerProcess>>;
beforeAll(async () => {
  api = await startApi();
  service = await startServerProcess({ DATABASE_URL: api.url });
});
afterAll(async () => {
  await stop(service.child);
  await api.close();
});

/** A fresh alcaeus client that knows nothing but the partner's token. */
function hydraClient(token: string) {
  const env = new Environment(create(), { parent: rdf });
  env.hydra.defaultHeaders = { Authorization: `Bearer ${token}` };
  return env;
}
type HydraEnv = ReturnType<typeof hydraClient>;

/** rdfs:label read from the graph: the typings of hydra:property do not carry it. */
function label(resource: RdfResource | undefined) {
  return resource?.pointer.out(rdf.namedNode(RDFS_LABEL)).value;
}

/** Starts at /api, as a generic client does, and returns the organizations link and its POST. */
async function discover(env: HydraEnv) {
  const { response, representation } = await env.hydra.loadResource(`${service.base}/api`);
  expect(response?.xhr.status).toBe(200);
  const entrypoint = representation!.root!;
  expect(entrypoint.types.has(env.namedNode(`${HYDRA}EntryPoint`))).toBe(true);
  const link = entrypoint.getLinks().find(({ supportedProperty }) => label(supportedProperty.property) === 'organizations');
  expect(link?.resources).toHaveLength(1);
  const collection = link!.resources[0];
  // The docs describe #organizations twice (on EntryPoint and on Partner), so its GET and POST come twice.
  const posts = collection.findOperations({ byMethod: 'POST' });
  expect(posts.length).toBeGreaterThan(0);
  for (const post of posts) expect(post.expects.map((cls) => cls.id.value)).toEqual([`${SCHEMA}Organization`]);
  return { response: response!, collection, post: posts[0] };
}

/** Writes the body with the label the documentation gives the expected class's required property. */
async function createOrganization(env: HydraEnv, post: RuntimeOperation, name: string) {
  const expected = post.expects[0] as Class; // expects is typed as a union of resource kinds
  const labels = expected.supportedProperty.filter((p) => p.required).map((p) => label(p.property));
  expect(labels).toEqual(['name']);
  const { response, representation } = await post.invoke(JSON.stringify({ [labels[0]!]: name }), { 'Content-Type': 'application/ld+json' });
  expect(response?.xhr.status).toBe(201);
  const organization = representation!.root!;
  expect(organization.types.has(env.namedNode(`${SCHEMA}Organization`))).toBe(true);
  expect(organization.id.value).toBe(response!.xhr.headers.get('location'));
  expect(organization.getString(`${SCHEMA}name`)).toBe(name);
  return organization.id.value;
}

describe('A generic Hydra client (alcaeus) walking the API from its base URL', () => {
  it('When a Hydra client starts at /api with only the base URL, then it finds the documentation, the organizations collection and its POST, and creates organizations with it', async () => {
    const partner = await api.partner();
    const env = hydraClient(partner.token);
    const { response, post } = await discover(env);

    expect(env.hydra.apiDocumentations).toHaveLength(1);
    const documentation = env.hydra.apiDocumentations[0]!.root!;
    expect(documentation.id.value).toBe(response.apiDocumentationLink);
    expect(documentation.supportedClass.map((cls) => cls.id.value)).toContain(`${SCHEMA}Organization`);

    const names = Array.from({ length: 7 }, (_, i) => `Hydra Walk ${i + 1}`);
    const created: string[] = [];
    for (const name of names) created.push(await createOrganization(env, post, name));
    expect(new Set(created).size).toBe(7);
  });

  it('When the client pages through the collection three at a time along hydra:next, then it sees every organization exactly once and as many as hydra:totalItems', async () => {
    const partner = await api.partner();
    const env = hydraClient(partner.token);
    const { collection, post } = await discover(env);
    const created: string[] = [];
    for (let i = 1; i <= 7; i++) created.push(await createOrganization(env, post, `Paged ${i}`));

    // hydra:search has no page-size variable, so the client adds the query to the linked IRI.
    let pageIri: string | undefined = `${collection.id.value}?itemsPerPage=3`;
    const seen: string[] = [];
    const visited: string[] = [];
    let totalItems: number | undefined;
    let last: string | undefined;
    let lastPageMembers: string[] = [];
    while (pageIri && visited.length < 20) {
      const { response, representation } = await env.hydra.loadResource<Collection>(pageIri);
      expect(response?.xhr.status).toBe(200);
      const page = representation!.root!; // alcaeus returns the collection a requested view belongs to
      expect(page.id.value).toBe(collection.id.value);
      const [view] = page.view as PartialCollectionView[];
      expect(view!.id.value).toBe(pageIri);
      expect(page.member.length).toBeLessThanOrEqual(3);
      lastPageMembers = page.member.map((member) => member.id.value);
      seen.push(...lastPageMembers);
      totalItems ??= page.totalItems;
      last ??= view!.last?.id.value;
      visited.push(pageIri);
      pageIri = view!.next?.id.value;
    }

    expect(visited).toHaveLength(3);
    // next links are cursors; hydra:last is a page number: both lead to the same members.
    const { representation: lastPage } = await env.hydra.loadResource<Collection>(last!);
    expect(lastPage!.root!.member.map((member) => member.id.value)).toEqual(lastPageMembers);
    expect(seen).toHaveLength(new Set(seen).size);
    expect(seen).toHaveLength(totalItems!);
    expect([...seen].sort()).toEqual([...created].sort());

    // The same members as the plain JSON of one large page.
    const plain = await fetch(`${collection.id.value}?itemsPerPage=100`, { headers: partner.auth });
    const body = (await plain.json()) as { 'hydra:member': { '@id': string }[] };
    expect(body['hydra:member'].map((m) => new URL(m['@id'], service.base).href).sort()).toEqual([...seen].sort());
  });

  it('When the client loads an organization it created, then it reads its name and owner, and its documented DELETE removes it', async () => {
    const partner = await api.partner();
    const env = hydraClient(partner.token);
    const { post } = await discover(env);
    const iri = await createOrganization(env, post, 'Short Lived');

    const { response, representation } = await env.hydra.loadResource(iri);
    expect(response?.xhr.status).toBe(200);
    const organization = representation!.root!;
    expect(organization.getString(`${SCHEMA}name`)).toBe('Short Lived');
    const members = organization.getArray(`${VOCABULARY}members`);
    expect(members.map((m) => [m.getString(`${SCHEMA}email`), m.getString(`${SCHEMA}roleName`)])).toEqual([[partner.email, 'owner']]);

    const deletes = organization.findOperations({ byMethod: 'DELETE' });
    expect(deletes).toHaveLength(1);
    const deleted = await deletes[0]!.invoke();
    expect(deleted.response?.xhr.status).toBe(204);

    const reloaded = await env.hydra.loadResource(iri);
    expect(reloaded.response?.xhr.status).toBe(404);
    expect((await fetch(iri, { headers: partner.auth })).status).toBe(404);
  });
});
