/**
 * Every refusal the contract lists, provoked on every route it applies to. The contract of an
 * operation comes from src/http/contract (the request chain's steps and what each refuses
 * with); this test reads the same steps, sends for each step a request that only that step
 * refuses, and checks the status and the problem type of the answer against the step's own
 * declaration. Refusals that need a fault no request can cause (a database outage, a crash, a
 * slow client) name the test that provokes them instead, and the test checks that every
 * status of every operation's contract is accounted for one way or the other.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { operationContract } from '../src/http/contract/operation-contract.js';
import type { OperationSite } from '../src/http/contract/site.js';
import { CHAIN } from '../src/http/contract/steps.js';
import type { ProblemSlug } from '../src/problems/problem-types.js';
import { fillPath, routesOf, type HttpMethod, type OperationDescription } from '../src/resources/description.js';
import { issueToken } from '../src/resources/partner/partner-use-cases.js';
import { SCOPES } from '../src/resources/partner/scopes.js';
import { resources } from '../src/resources/registry.js';
import { startApi, type Api } from './support/harness.js';
import { ResourceWorld, resourceNamed, type Params } from '../src/generators/resource-world.js';
import { RawConnection } from './support/raw-http.js';

type Json = Record<string, any>;

/** Refusals no single well-formed request provokes on a healthy server, and where they are provoked. */
const PROVOKED_ELSEWHERE: Partial<Record<ProblemSlug, string>> = {
  'request-timeout': 'test/request-limits.test.ts (slow headers and bodies)',
  'idempotency-key-in-use': 'test/idempotency.test.ts and test/idempotency-instances.test.ts (a retry while the first is running)',
  'service-unavailable': 'test/postgres-outages.test.ts (refused, reset, blackholed and stalled connections)',
  'outcome-unknown': 'test/postgres-connection-loss.test.ts (a connection lost during COMMIT)',
  'internal-error': 'never on purpose: the contract fuzzer counts any 5xx of a healthy run as a defect',
};

let api: Api;
let limited: Api;
let hostBound: Api;
let world: ResourceWorld;
/** The path parameters of each operation in the owner's world. */
const params = new Map<OperationSite, Params>();
/** The owner's organization as it read once its world was made, before any refusal. */
let before: Json;
let owner: { token: string; email: string; auth: Record<string, string> };
/** Sends the first request of an Idempotency-Key pair: whatever it does (it may join or create), the owner's world stays as it was. */
let bystander: { auth: Record<string, string> };

const sites: OperationSite[] = resources.flatMap((resource) =>
  routesOf(resource).flatMap((route) => (Object.entries(route.operations) as [HttpMethod, OperationDescription][]).map(([method, operation]) => ({ resource, route, method, operation }))),
);

const label = (site: OperationSite) => `${site.method} /api${site.route.path}`;
const idOf = (iri: string) => iri.split('/').pop()!;

/** The route's path in the owner's world: one item of each resource, all below the owner's organization. */
const pathOf = (site: OperationSite) => fillPath(site.route.path, params.get(site)!);

/** The path with its last parameter replaced by a malformed percent-encoding. */
function malformedPath(site: OperationSite): string | undefined {
  const last = [...site.route.path.matchAll(/:(\w+)/g)].pop()?.[1];
  return last ? fillPath(site.route.path, { ...params.get(site)!, [last]: '%E0%A4%A' }) : undefined;
}

/** A body the schema accepts for this operation, from the owner's point of view (nothing in it conflicts). */
async function validBody(site: OperationSite): Promise<Json> {
  if (site.method === 'PATCH' || !site.operation.expects) return {};
  return world.body(resourceNamed(site.operation.expects));
}

interface Sent {
  status: number;
  type?: string;
  body: Json;
}

async function send(target: Api, site: OperationSite, options: { path?: string; headers?: Record<string, string>; body?: string | Json; contentType?: string } = {}): Promise<Sent> {
  let call = target.http()[site.method.toLowerCase() as 'get'](options.path ?? pathOf(site));
  for (const [name, value] of Object.entries(options.headers ?? {})) call = call.set(name, value);
  if (options.body !== undefined) {
    call = call.set('Content-Type', options.contentType ?? (site.method === 'PATCH' ? 'application/merge-patch+json' : 'application/json'));
    call = call.send(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
  }
  const res = await call;
  const body = res.text ? (() => { try { return JSON.parse(res.text); } catch { return {}; } })() : {};
  return { status: res.status, type: typeof body.type === 'string' ? body.type.split('/').pop() : undefined, body };
}

/** A request as raw bytes, for what a client library would refuse to send. */
async function sendRaw(target: Api, lines: string[]): Promise<Sent> {
  const connection = await RawConnection.open(Number(new URL(target.base).port));
  try {
    connection.send(`${lines.join('\r\n')}\r\n\r\n`);
    const res = await connection.response();
    const body = res.body ? JSON.parse(res.body) : {};
    return { status: res.status, type: String(body.type ?? '').split('/').pop(), body };
  } finally {
    connection.close();
  }
}

beforeAll(async () => {
  api = await startApi();
  limited = await startApi({ rateLimits: { perCredential: 1, anonymous: 1 } });
  hostBound = await startApi({ origins: { allowedHosts: ['api.example'] } });
  owner = await api.partner('Refusals Owner');
  const stranger = await api.partner('Refusals Stranger');
  bystander = await api.partner('Refusals Bystander');
  world = new ResourceWorld(api, owner.auth, 'refusals');
  // The one resource the world cannot make from its description: organizations the owner may
  // join are another partner's, found by the owner's email domain.
  const joinable = await api.http().post('/api/organizations').set(stranger.auth).send({ name: 'Joinable', auto_join_domains: [owner.email.split('@')[1]] });
  expect(joinable.status).toBe(201);
  world.use(resourceNamed('JoinableOrganization'), { id: idOf(joinable.body['@id']) });
  for (const site of sites) params.set(site, await world.paramsOf(site.resource, site.route));
  before = (await api.http().get(fillPath('/organizations/:id', await world.item(resourceNamed('Organization')))).set(owner.auth)).body;
});

afterAll(async () => {
  await api?.close();
  await limited?.close();
  await hostBound?.close();
});

/** What one step is sent to be refused, per refusal it declares: a request only that step refuses. */
type Provocation = (site: OperationSite) => Promise<Sent | undefined>;

function provocations(): Record<string, Partial<Record<ProblemSlug | '304', Provocation>>> {
  const asOwner = owner.auth;
  return {
    'request framing': {
      'malformed-request': async (site) => {
        const bad = malformedPath(site);
        // Without an id to spoil, a header line that is no header.
        return bad ? send(api, site, { path: bad, headers: asOwner }) : sendRaw(api, [`${site.method} ${pathOf(site)} HTTP/1.1`, 'Host: 127.0.0.1', 'Not a header']);
      },
      'payload-too-large': (site) => sendRaw(api, [`${site.method} ${pathOf(site)} HTTP/1.1`, 'Host: 127.0.0.1', `Authorization: Bearer ${owner.token}`, 'Content-Type: application/json', 'Content-Length: 10737418240']),
      'request-header-too-large': (site) => sendRaw(api, [`${site.method} ${pathOf(site)} HTTP/1.1`, 'Host: 127.0.0.1', `X-Padding: ${'x'.repeat(20_000)}`]),
    },
    'allowed hosts': { 'misdirected-request': (site) => send(hostBound, site, { headers: { Host: 'elsewhere.example' } }) },
    authentication: { unauthorized: (site) => send(api, site) },
    'rate limit': {
      'too-many-requests': async (site) => {
        // A fresh partner each time: its token's whole budget (one request a minute) is this route's.
        const { token } = await limited.partner('Limited');
        await send(limited, site, { headers: { Authorization: `Bearer ${token}` } });
        return send(limited, site, { headers: { Authorization: `Bearer ${token}` } });
      },
    },
    negotiation: { 'not-acceptable': (site) => send(api, site, { headers: { ...asOwner, Accept: 'image/png' } }) },
    scope: {
      'insufficient-scope': async (site) => {
        const { token } = await issueToken(api.db, owner.email, { scopes: SCOPES.filter((s) => s !== site.operation.scope) });
        return send(api, site, { headers: { Authorization: `Bearer ${token}` } });
      },
    },
    query: { 'malformed-request': (site) => send(api, site, { path: `${pathOf(site)}?itemsPerPage=0`, headers: asOwner }) },
    body: {
      'malformed-request': (site) => send(api, site, { headers: asOwner, body: '{"unfinished": ' }),
      'payload-too-large': (site) => send(api, site, { headers: asOwner, body: { padding: 'x'.repeat(2 * 1024 * 1024) } }),
      'unsupported-media-type': (site) => send(api, site, { headers: asOwner, body: 'name=x', contentType: 'application/x-www-form-urlencoded' }),
      'document-too-complex': (site) => send(api, site, { headers: asOwner, body: `${'['.repeat(40)}${']'.repeat(40)}` }),
      'validation-failed': (site) => send(api, site, { headers: asOwner, body: '"not an object"' }),
    },
    'JSON-LD body': { 'unsupported-context': async (site) => send(api, site, { headers: asOwner, body: { '@context': 'https://contexts.example/remote.jsonld', ...(await validBody(site)) } }) },
    idempotency: {
      'malformed-request': async (site) => send(api, site, { headers: { ...asOwner, 'Idempotency-Key': 'x'.repeat(300) }, ...(site.operation.expects ? { body: await validBody(site) } : {}) }),
      'idempotency-key-reused': async (site) => {
        const key = `refusals-${Math.random()}`;
        const body = site.operation.expects ? { body: await validBody(site) } : {};
        await send(api, site, { headers: { ...bystander.auth, 'Idempotency-Key': key }, ...body });
        return send(api, site, { path: `${pathOf(site)}?another=request`, headers: { ...bystander.auth, 'Idempotency-Key': key }, ...body });
      },
    },
    preconditions: { 'precondition-failed': (site) => send(api, site, { headers: { ...asOwner, 'If-Match': '"not-the-current-state"' }, ...(site.method === 'PATCH' ? { body: {} } : {}) }) },
    'conditional read': {
      '304': async (site) => {
        const first = await api.http().get(pathOf(site)).set(asOwner);
        expect(first.status).toBe(200);
        const res = await api.http().get(pathOf(site)).set({ ...asOwner, 'If-None-Match': first.headers.etag, 'Cache-Control': 'no-cache' });
        return { status: res.status, body: {} };
      },
    },
  };
}

describe('Every refusal of the request chain, on every route', () => {
  it('When each step is sent a request only it refuses, on every operation it applies to, then the answer has the status and problem type that step declares', async () => {
    const table = provocations();
    const provoked = new Set<string>();
    const wrong: string[] = [];
    for (const site of sites) {
      for (const step of CHAIN.filter((s) => s.applies(site))) {
        for (const refusal of step.refusals) {
          for (const slug of refusal.problems.length ? refusal.problems : (['304'] as const)) {
            const provoke = table[step.name]?.[slug];
            if (!provoke) continue;
            const answer = await provoke(site);
            if (!answer) continue;
            const expected = slug === '304' ? '304' : `${refusal.status} ${slug}`;
            const got = slug === '304' ? String(answer.status) : `${answer.status} ${answer.type}`;
            if (got !== expected) wrong.push(`${label(site)} ${step.name}: expected ${expected}, got ${got} ${JSON.stringify(answer.body).slice(0, 160)}`);
            provoked.add(`${label(site)} ${refusal.status}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    // Each operation's contract, status by status: provoked here, the operation's own (its tests), or provoked elsewhere.
    const unaccounted: string[] = [];
    for (const site of sites) {
      for (const answer of operationContract(site).statuses) {
        if (answer.status < 300 || answer.domain || provoked.has(`${label(site)} ${answer.status}`)) continue;
        if (answer.problems.length && answer.problems.every((slug) => PROVOKED_ELSEWHERE[slug])) continue;
        unaccounted.push(`${label(site)} ${answer.status} (${answer.problems.join(', ')})`);
      }
    }
    expect(unaccounted).toEqual([]);
    expect(provoked.size).toBeGreaterThan(200);
  }, 240_000);

  it('When the refusals have been answered, then they changed nothing: the organization, its members and its settings read as before', async () => {
    const res = await api.http().get(fillPath('/organizations/:id', await world.item(resourceNamed('Organization')))).set(owner.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(before);
  });
});
