import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { API_PREFIX, routesOf, type HttpMethod } from '../src/resources/description.js';
import { resources } from '../src/resources/registry.js';
import { startApi, type Api } from './support/harness.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const METHODS: HttpMethod[] = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];

/** Every documented path, its parameters filled, with the methods it does not document. */
const undocumented = resources.flatMap((resource) =>
  routesOf(resource).flatMap((route) => {
    const path = API_PREFIX + route.path.replace(/:\w+/g, () => randomUUID());
    const documented = Object.keys(route.operations);
    return METHODS.filter((m) => !documented.includes(m)).map((method) => [method, path, documented] as const);
  }),
);

describe('Methods a path does not document', () => {
  it.each(undocumented)('When %s is sent to %s, then 405 with Allow listing what is documented', async (method, path, documented) => {
    const res = await api.http()[method.toLowerCase() as 'get'](path);
    expect(res.status).toBe(405);
    expect(res.type).toBe('application/problem+json');
    const allow = String(res.headers.allow).split(',').map((m) => m.trim());
    expect(new Set(allow)).toEqual(new Set(documented.includes('GET') ? [...documented, 'HEAD'] : documented));
  });
});

/*
 * The resources' routes are found by one look-up (src/http/route-table.ts); a spelling it does
 * not take (a trailing slash, another letter case, a percent-encoding) goes on through Express's
 * router, which holds the same routes. Both must answer as one.
 */
describe('One operation, whichever router finds it', () => {
  it('When an organization is read by its exact path and by every spelling Express also accepts, then each answer is the same representation', async () => {
    const partner = await api.partner();
    const made = await api.http().post('/api/organizations').set(partner.auth).send({ name: 'Spelled Many Ways' });
    expect(made.status).toBe(201);
    const iri = String(made.body['@id']);
    const id = iri.split('/').pop()!;
    const encoded = `%${id.charCodeAt(0).toString(16)}${id.slice(1)}`;
    const spellings = [iri, `${iri}/`, iri.replace('/organizations/', '/Organizations/'), iri.replace(id, encoded)];
    const answers = await Promise.all(spellings.map((path) => api.http().get(path).set(partner.auth)));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body['@id']).toBe(iri);
      expect(answer.headers.etag).toBe(answers[0]!.headers.etag);
    }
    const head = await api.http().head(iri).set(partner.auth);
    expect(head.status).toBe(200);
    expect(head.headers.etag).toBe(answers[0]!.headers.etag);
  });

  it('When a nested item is read, then its own route answers with both of its parameters, not its parent\'s', async () => {
    const partner = await api.partner();
    const made = await api.http().post('/api/organizations').set(partner.auth).send({ name: 'Nested Reads' });
    const members = await api.http().get(`${made.body['@id']}/members`).set(partner.auth);
    expect(members.status).toBe(200);
    const [owner] = members.body['hydra:member'] ?? members.body.member;
    const read = await api.http().get(owner['@id']).set(partner.auth);
    expect(read.status).toBe(200);
    expect(read.body['@id']).toBe(owner['@id']);
    const unknown = await api.http().get(`${made.body['@id']}/members/${randomUUID()}`).set(partner.auth);
    expect(unknown.status).toBe(404);
    expect(unknown.type).toBe('application/problem+json');
  });
});
