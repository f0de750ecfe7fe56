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
