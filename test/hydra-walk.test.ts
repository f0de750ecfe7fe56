import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApi, type Api } from './support/harness.js';
import { HydraWalker, linkFacts, type LinkFacts, type Refused, type Walk } from './support/hydra-walker.js';

/**
 * Issue 20: a generic client walks every collection by hydra:next. The world is seeded over
 * HTTP so that each collection a caller reaches holds more than one page (30 by default); the
 * walker then starts at /api knowing nothing of our paths, finds its way by the API
 * documentation's hydra:Link properties, and counts members against hydra:totalItems.
 */

const MANY = 35;
type Partner = Awaited<ReturnType<Api['partner']>>;

let api: Api;
let facts: LinkFacts;
let world: Record<'owner' | 'neighbour' | 'invitee' | 'integration' | 'joiner', Partner>;
const walksByCaller = new Map<string, Walk[]>();
const refusedByCaller = new Map<string, Refused[]>();

async function send(by: Partner, path: string, body: object) {
  const res = await fetch(new URL(path, api.base), { method: 'POST', headers: { ...by.auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, string>;
}

/**
 * The owner's first organization holds 35 members, 36 invitations, 35 integrations and their
 * audit events; the invitee is invited to all 35 organizations, the integration installed in
 * all 35; the neighbour's 35 organizations let anyone at example.com join, so every other
 * caller's joinable list is more than a page too.
 */
async function seed() {
  world = { owner: await api.partner('Owner'), neighbour: await api.partner('Neighbour'), invitee: await api.partner('Invitee'), integration: await api.partner('Integration'), joiner: await api.partner('Joiner') };
  const orgs: Record<string, string>[] = [];
  for (let i = 1; i <= MANY; i++) orgs.push(await send(world.owner, '/api/organizations', { name: `Walk ${i}` }));
  for (let i = 1; i <= MANY; i++) await send(world.neighbour, '/api/organizations', { name: `Open ${i}`, auto_join_domains: ['example.com'] });
  for (const org of orgs) {
    await send(world.owner, org.invitations!, { email: world.invitee.email, role: 'member' });
    await send(world.owner, org.integrations!, { partner: world.integration.email, scopes: ['organization:read', 'member:read'] });
  }
  const big = orgs[0]!;
  await send(world.owner, '/api/webhook_endpoints', { url: 'http://127.0.0.1:9/walk', organization: big['@id'] });
  for (let i = 1; i <= MANY; i++) {
    await send(world.owner, big.all_members!, { email: (await api.partner(`Member ${i}`)).email, role: 'member' });
    await send(world.owner, big.invitations!, { email: `guest.${i}@elsewhere.example`, role: 'member' });
    await send(world.owner, big.integrations!, { partner: (await api.partner(`Tool ${i}`)).email, scopes: ['organization:read'] });
  }
}

beforeAll(async () => {
  api = await startApi({ rateLimits: { perCredential: 0, anonymous: 0 } });
  await seed();
  const entrypoint = await new HydraWalker(api.base, world.owner.auth).load(`${api.base}/api`);
  const [documentation] = entrypoint.get(`${api.base}/api`)!['http://www.w3.org/ns/hydra/core#apiDocumentation']!;
  facts = linkFacts(await new HydraWalker(api.base, {}).load(documentation!['@id']!));
}, 120_000);
afterAll(() => api.close());

/** Crawls from the entrypoint as `caller`, then walks what offers it again at 7 a page. */
async function crawlAs(caller: keyof typeof world) {
  const walker = new HydraWalker(api.base, world[caller].auth);
  const walks = await walker.crawl(`${api.base}/api`, facts);
  for (const walk of walks) await walker.walkSmallPages(walk, 7);
  walksByCaller.set(caller, walks);
  refusedByCaller.set(caller, walker.refused);
  return walks;
}

/** What every walk must show, whatever the collection. */
function expectSound(walk: Walk) {
  expect(walk.pages.length).toBeGreaterThan(0);
  const counted = { iri: walk.iri, ended: walk.ended, members: walk.members.length, distinct: new Set(walk.members).size, totals: new Set(walk.totalItems).size, invalidViewLinks: walk.invalidViewLinks };
  expect(counted).toEqual({ iri: walk.iri, ended: true, members: walk.totalItems[0], distinct: walk.members.length, totals: 1, invalidViewLinks: [] });
  // A strict RFC 6570 parser reads every search template (no `[` in a variable name).
  expect({ iri: walk.iri, refused: walk.search?.refusal }).toEqual({ iri: walk.iri, refused: undefined });
  if (walk.search?.expandedEmpty) expect(walk.search.expandedEmpty).toBe(walk.iri);
  if (walk.smallPages) expect([...walk.smallPages.members].sort()).toEqual([...walk.members].sort());
}

/** How many members the walks that came by `via` (a documented property, local name) counted. */
const totalsVia = (walks: Walk[], via: string) => walks.filter((w) => w.via.endsWith(`#${via}`)).map((w) => w.members.length);

describe('A generic Hydra client walking every collection by hydra:next', () => {
  it('When the owner walks from /api, then it reaches its organizations and each one’s members, invitations, integrations and audit trail, every one counted as hydra:totalItems says', async () => {
    const walks = await crawlAs('owner');
    walks.forEach(expectSound);
    expect(totalsVia(walks, 'member_of').concat(totalsVia(walks, 'organizations'))).toEqual([MANY]);
    expect(Math.max(...totalsVia(walks, 'all_members'))).toBe(MANY + 1);
    expect(Math.max(...totalsVia(walks, 'invitations'))).toBe(MANY + 1);
    expect(Math.max(...totalsVia(walks, 'integrations'))).toBe(MANY + 1);
    expect(Math.max(...totalsVia(walks, 'audit_events'))).toBeGreaterThan(30);
    expect(totalsVia(walks, 'joinable_organizations')).toEqual([MANY]);
  }, 120_000);

  it('When the invitee walks from /api, then it counts its 35 pending invitations and the organizations it may join', async () => {
    const walks = await crawlAs('invitee');
    walks.forEach(expectSound);
    expect(totalsVia(walks, 'pending_invitations')).toEqual([MANY]);
    expect(totalsVia(walks, 'joinable_organizations')).toEqual([MANY]);
  }, 120_000);

  it('When the integration walks from /api, then it counts the 35 organizations it is installed in', async () => {
    const walks = await crawlAs('integration');
    walks.forEach(expectSound);
    expect(totalsVia(walks, 'installations')).toEqual([MANY]);
    // Its organizations link their invitations (it lacks invitation:read), integrations and audit trail (members only).
    const refused = refusedByCaller.get('integration')!;
    expect(new Set(refused.map(({ via, status, problemType }) => `${via?.split('#')[1]} ${status} ${problemType?.split('/').pop()}`))).toEqual(new Set(['audit_events 403 forbidden', 'integrations 403 forbidden', 'invitations 403 scope-not-granted']));
    expect(refused).toHaveLength(3 * MANY);
  }, 120_000);

  it('When a partner of a listed domain walks from /api, then it counts the 35 organizations it may join', async () => {
    const walks = await crawlAs('joiner');
    walks.forEach(expectSound);
    expect(totalsVia(walks, 'joinable_organizations')).toEqual([MANY]);
  }, 120_000);

  it('When every caller has walked, then the collections visited cover every GET of /api/docs.json that returns a collection', async () => {
    const openapi = (await (await fetch(`${api.base}/api/docs.json`)).json()) as OpenApi;
    const operations = collectionOperations(openapi);
    const visited = new Set([...walksByCaller.values()].flat().flatMap((walk) => operations.filter((op) => op.pattern.test(new URL(walk.iri).pathname)).map((op) => op.id)));
    expect([...visited].sort()).toEqual(operations.map((op) => op.id).sort());
    for (const caller of ['owner', 'invitee', 'joiner']) expect(refusedByCaller.get(caller)).toEqual([]);
    console.log(report(operations));
  });
});

type OpenApi = { paths: Record<string, { get?: { operationId: string; responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> } }>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };

/** GET operations whose 200 JSON-LD answer is a page of a collection (its schema has hydra:member). */
function collectionOperations(openapi: OpenApi) {
  return Object.entries(openapi.paths).flatMap(([path, { get }]) => {
    const ref = get?.responses['200']?.content?.['application/ld+json']?.schema?.$ref;
    const schema = ref ? openapi.components.schemas[ref.split('/').pop()!] : undefined;
    if (!get || !schema?.properties?.['hydra:member']) return [];
    return [{ id: get.operationId, pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`) }];
  });
}

/** Per caller and collection operation: collections walked, members counted, pages; and what the strict parser refused. */
function report(operations: ReturnType<typeof collectionOperations>) {
  const lines: string[] = [];
  const refusals = new Map<string, string>();
  for (const [caller, walks] of walksByCaller) {
    for (const op of operations) {
      const mine = walks.filter((w) => op.pattern.test(new URL(w.iri).pathname));
      if (mine.length === 0) continue;
      const sum = (f: (w: Walk) => number) => mine.reduce((n, w) => n + f(w), 0);
      lines.push(`${caller} ${op.id}: ${mine.length} collections, ${sum((w) => w.members.length)} members, ${sum((w) => w.pages.length)} pages, largest ${Math.max(...mine.map((w) => w.members.length))}`);
    }
    if (refusedByCaller.get(caller)?.length) lines.push(`${caller}: ${refusedByCaller.get(caller)!.length} links refused (${[...new Set(refusedByCaller.get(caller)!.map((r) => r.status))].join(', ')})`);
    for (const walk of walks) if (walk.search?.refusal) refusals.set(walk.search.template.replace(/[0-9a-f-]{36}/g, '{id}'), walk.search.refusal);
  }
  return [...lines, ...[...refusals].map(([template, why]) => `strict RFC 6570 parser refused ${template}: ${why}`)].join('\n');
}
