import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jsonld from 'jsonld';
import { PROBLEM_TYPES } from '../src/problems/problem-types.js';
import { startApi, type Api } from './support/harness.js';
import { expand } from './support/jsonld.js';
import { VOCABULARY } from '../src/resources/description.js';

const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const RDFS = 'http://www.w3.org/2000/01/rdf-schema#';
const SCHEMA = 'https://schema.org/';
const CONTEXTS_DIR = path.join(process.cwd(), 'contexts');

type Node = Record<string, unknown>;

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

/** Values of an expanded property, as an array of nodes or value objects. */
function values(node: Node, property: string): Node[] {
  return (node[property] as Node[] | undefined) ?? [];
}

function literal(node: Node, property: string): unknown {
  const [first] = values(node, property);
  return first?.['@value'];
}

function idOf(node: Node, property: string): string | undefined {
  const [first] = values(node, property);
  return first?.['@id'] as string | undefined;
}

function methodsOf(node: Node): string[] {
  return values(node, `${HYDRA}supportedOperation`)
    .map((operation) => literal(operation, `${HYDRA}method`) as string)
    .sort();
}

describe('Entrypoint', () => {
  it('When / is requested, then 302 to /api', async () => {
    const res = await api.http().get('/').redirects(0);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/api');
  });

  it('When /api is requested without a token, then a hydra:EntryPoint linking to the organizations collection, the caller and the documentation', async () => {
    const res = await api.http().get('/api');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json(;|$)/);
    expect(res.body['@context']).toBe('/api/contexts/EntryPoint');
    expect(res.body['@type']).toBe('EntryPoint');
    expect(res.body.organizations).toBe('/api/organizations');

    const [node] = (await expand(api, res.body, '/api')) as unknown as Node[];
    expect(node['@id']).toBe(`${api.base}/api`);
    expect(node['@type']).toEqual([`${HYDRA}EntryPoint`]);
    expect(node[`${VOCABULARY}organizations`]).toEqual([{ '@id': `${api.base}/api/organizations` }]);
    expect(node[`${VOCABULARY}me`]).toEqual([{ '@id': `${api.base}/api/me` }]);
    expect(node[`${HYDRA}apiDocumentation`]).toEqual([{ '@id': `${api.base}/api/docs.jsonld` }]);
  });
});

describe('API documentation', () => {
  async function expandedDocumentation(): Promise<Node[]> {
    const res = await api.http().get('/api/docs.jsonld');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json(;|$)/);
    const refuse = async (url: string) => {
      throw new Error(`refusing to load ${url}`);
    };
    const expandDocument = jsonld.expand as unknown as (document: object, options: object) => Promise<Node[]>;
    return expandDocument(res.body, { base: `${api.base}/api/docs.jsonld`, documentLoader: refuse, safe: true });
  }

  function supportedClass(documentation: Node, id: string): Node {
    const found = values(documentation, `${HYDRA}supportedClass`).find((c) => c['@id'] === id);
    expect(found).toBeDefined();
    return found!;
  }

  function supportedProperty(cls: Node, propertyId: string): Node {
    const found = values(cls, `${HYDRA}supportedProperty`).find((p) => idOf(p, `${HYDRA}property`) === propertyId);
    expect(found).toBeDefined();
    return found!;
  }

  it('When /api/docs.jsonld is requested without a token, then a hydra:ApiDocumentation that expands without fetching anything', async () => {
    const expanded = await expandedDocumentation();
    expect(expanded).toHaveLength(1);
    expect(expanded[0]['@type']).toEqual([`${HYDRA}ApiDocumentation`]);
    expect(expanded[0]['@id']).toBe(`${api.base}/api/docs.jsonld`);
  });

  it('When the documentation is read, then schema:Organization is a supported class with name (required), slug, and GET, PATCH, DELETE on items', async () => {
    const [documentation] = await expandedDocumentation();
    const organization = supportedClass(documentation, `${SCHEMA}Organization`);
    expect(organization['@type']).toEqual([`${HYDRA}Class`]);

    const name = supportedProperty(organization, `${SCHEMA}name`);
    expect(literal(name, `${HYDRA}required`)).toBe(true);
    expect(literal(name, `${HYDRA}writeable`)).toBe(true);

    const slug = supportedProperty(organization, `${VOCABULARY}slug`);
    expect(literal(slug, `${HYDRA}required`)).toBe(false);
    const [slugProperty] = values(slug, `${HYDRA}property`);
    expect(literal(slugProperty, `${RDFS}label`)).toBe('slug');
    expect(idOf(slugProperty, `${RDFS}domain`)).toBe(`${SCHEMA}Organization`);

    expect(methodsOf(organization)).toEqual(['DELETE', 'GET', 'PATCH']);
  });

  it("When the documentation is read, then the EntryPoint's organizations link carries the collection's GET and POST", async () => {
    const [documentation] = await expandedDocumentation();
    const entrypoint = supportedClass(documentation, `${HYDRA}EntryPoint`);
    const organizations = supportedProperty(entrypoint, `${VOCABULARY}organizations`);
    const [link] = values(organizations, `${HYDRA}property`);
    expect(link['@type']).toEqual([`${HYDRA}Link`]);
    expect(methodsOf(link)).toEqual(['GET', 'POST']);
    const post = values(link, `${HYDRA}supportedOperation`).find((o) => literal(o, `${HYDRA}method`) === 'POST')!;
    expect(idOf(post, `${HYDRA}expects`)).toBe(`${SCHEMA}Organization`);
    expect(idOf(post, `${HYDRA}returns`)).toBe(`${SCHEMA}Organization`);
  });

  it("When the documentation is read, then members', invitations' and integrations' operations hang on the links that lead to them", async () => {
    const [documentation] = await expandedDocumentation();
    const docs = VOCABULARY;
    const linkOf = (cls: Node, property: string) => values(supportedProperty(cls, property), `${HYDRA}property`)[0];
    const organization = supportedClass(documentation, `${SCHEMA}Organization`);
    expect(methodsOf(linkOf(organization, `${docs}all_members`))).toEqual(['GET', 'POST']);
    expect(methodsOf(linkOf(organization, `${docs}invitations`))).toEqual(['GET', 'POST']);

    const invitation = supportedClass(documentation, `${docs}Invitation`);
    expect(methodsOf(invitation)).toEqual(['GET']);
    for (const action of ['accept', 'revoke']) {
      const link = linkOf(invitation, `${docs}${action}`);
      expect(link['@type']).toEqual([`${HYDRA}Link`]);
      expect(methodsOf(link)).toEqual(['POST']);
    }
    const member = supportedClass(documentation, `${docs}Member`);
    expect(methodsOf(member)).toEqual(['DELETE', 'GET', 'PATCH']);
    expect(literal(supportedProperty(member, `${SCHEMA}roleName`), `${HYDRA}writeable`)).toBe(true);

    expect(methodsOf(linkOf(organization, `${docs}integrations`))).toEqual(['GET', 'POST']);
    const integration = supportedClass(documentation, `${docs}Integration`);
    expect(methodsOf(integration)).toEqual(['DELETE', 'GET', 'PATCH']);
    expect(literal(supportedProperty(integration, `${docs}scopes`), `${HYDRA}writeable`)).toBe(true);

    const partner = supportedClass(documentation, `${docs}Partner`);
    expect(methodsOf(linkOf(partner, `${docs}pending_invitations`))).toEqual(['GET']);
    expect(methodsOf(linkOf(partner, `${docs}installations`))).toEqual(['GET']);
    expect(methodsOf(linkOf(partner, `${docs}joinable_organizations`))).toEqual(['GET']);
    const joinable = supportedClass(documentation, `${docs}JoinableOrganization`);
    expect(methodsOf(joinable)).toEqual(['GET']);
    const join = linkOf(joinable, `${docs}join`);
    expect(join['@type']).toEqual([`${HYDRA}Link`]);
    expect(methodsOf(join)).toEqual(['POST']);
    expect(idOf(values(join, `${HYDRA}supportedOperation`)[0], `${HYDRA}returns`)).toBe(`${docs}Member`);
    // The entrypoint class supports its collections only (API Platform Admin makes a menu entry of
    // each); its link to the caller is a hydra:Link of the vocabulary, with the same GET.
    const entrypoint = supportedClass(documentation, `${HYDRA}EntryPoint`);
    expect(values(entrypoint, `${HYDRA}supportedProperty`).map((p) => idOf(p, `${HYDRA}property`))).not.toContain(`${docs}me`);
    const vocabulary = values(documentation, `${SCHEMA}about`)[0]!;
    const me = (vocabulary['@reverse'] as unknown as Record<string, Node[]>)[`${RDFS}isDefinedBy`]!.find((p) => p['@id'] === `${docs}me`)!;
    expect(me['@type']).toEqual([`${HYDRA}Link`]);
    expect(idOf(me, `${RDFS}domain`)).toBe(`${HYDRA}EntryPoint`);
    expect(idOf(me, `${RDFS}range`)).toBe(`${docs}Partner`);
    expect(methodsOf(me)).toEqual(['GET']);
  });

  it('When a method other than GET is sent to the documentation, then 405 with Allow GET, HEAD', async () => {
    const res = await api.http().post('/api/docs.jsonld').send({});
    expect(res.status).toBe(405);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json(;|$)/);
    expect(new Set(String(res.headers.allow).split(',').map((m) => m.trim()))).toEqual(new Set(['GET', 'HEAD']));
  });
});

describe('Contexts', () => {
  const files = readdirSync(CONTEXTS_DIR).filter((f) => f.endsWith('.jsonld'));

  it.each(files)('When %s is requested, even with Accept: */*, then it is served byte-for-byte with Cache-Control and ETag', async (file) => {
    const name = path.basename(file, '.jsonld');
    const bytes = readFileSync(path.join(CONTEXTS_DIR, file));
    const res = await api
      .http()
      .get(`/api/contexts/${name}`)
      .set('Accept', '*/*')
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json(;|$)/);
    expect(Buffer.compare(res.body as Buffer, bytes)).toBe(0);
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(res.headers.etag).toBeTruthy();
  });

  it('When a context is requested again with If-None-Match set to its ETag, then 304 without a body', async () => {
    const first = await api.http().get('/api/contexts/Organization');
    expect(first.status).toBe(200);
    const again = await api.http().get('/api/contexts/Organization').set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(304);
    expect(again.text ?? '').toBe('');
  });

  it('When an unknown context is requested, then 404 problem', async () => {
    const res = await api.http().get('/api/contexts/Nope');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json(;|$)/);
    expect(res.body).toMatchObject({ '@type': 'Error', status: 404, type: `${api.base}/api/errors/not-found`, instance: '/api/contexts/Nope' });
  });

  it('When POST is sent to a context, then 405 with Allow GET, HEAD', async () => {
    const res = await api.http().post('/api/contexts/Organization').send({});
    expect(res.status).toBe(405);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json(;|$)/);
    expect(res.body).toMatchObject({ status: 405, type: `${api.base}/api/errors/method-not-allowed` });
    expect(new Set(String(res.headers.allow).split(',').map((m) => m.trim()))).toEqual(new Set(['GET', 'HEAD']));
  });
});

describe('Problem types', () => {
  it('When /api/errors is requested, then a hydra:Collection listing every problem type, each with its title and status and linking its own page', async () => {
    const res = await api.http().get('/api/errors');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json(;|$)/);
    const [index] = await expand(api, res.body, '/api/errors');
    expect(index['@type']).toEqual([`${HYDRA}Collection`]);
    const members = values(index, `${HYDRA}member`);
    expect(members.map((m) => m['@id'])).toEqual(Object.keys(PROBLEM_TYPES).map((slug) => `${api.base}/api/errors/${slug}`));
    expect(literal(index, `${HYDRA}totalItems`)).toBe(members.length);
    for (const member of members) {
      const page = await api.http().get(String(member['@id']).slice(api.base.length));
      expect(page.status).toBe(200);
      expect([page.body.title, page.body.status]).toEqual([literal(member, `${HYDRA}title`), literal(member, `${HYDRA}statusCode`)]);
    }
  });

  it('When /api/errors is requested as plain JSON, then the same list without @context, which moves to a Link header', async () => {
    const res = await api.http().get('/api/errors').set('Accept', 'application/json');
    expect(res.status).toBe(200);
    expect(res.body['@context']).toBeUndefined();
    expect(res.body['hydra:member'].find((m: Node) => m['@id'] === '/api/errors/organization-full')).toMatchObject({ title: 'Organization full', status: 409 });
    expect(res.headers.link).toContain('/api/contexts/Error>');
  });

  it('When a browser opens /api/errors, then it gets the explorer page that shows the list', async () => {
    const res = await api.http().get('/api/errors').set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html(;|$)/);
  });

  it('When POST is sent to /api/errors, then 405 with Allow GET, HEAD', async () => {
    const res = await api.http().post('/api/errors').send({});
    expect(res.status).toBe(405);
    expect(new Set(String(res.headers.allow).split(',').map((m) => m.trim()))).toEqual(new Set(['GET', 'HEAD']));
  });

  it('When /api/errors/validation-failed is requested, then 200 with the title "Validation failed"', async () => {
    const res = await api.http().get('/api/errors/validation-failed');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json(;|$)/);
    expect(res.body.title).toBe('Validation failed');
    expect(res.body.status).toBe(422);
    expect(typeof res.body.detail).toBe('string');
  });

  it('When an unknown problem type is requested, then 404 problem', async () => {
    const res = await api.http().get('/api/errors/no-such-problem');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json(;|$)/);
    expect(res.body).toMatchObject({ status: 404, type: `${api.base}/api/errors/not-found`, instance: '/api/errors/no-such-problem' });
  });

  it('When an inherited object property name is used as a slug, then 404 rather than a crash', async () => {
    const res = await api.http().get('/api/errors/constructor');
    expect(res.status).toBe(404);
    expect(res.body.type).toBe(`${api.base}/api/errors/not-found`);
  });
});
