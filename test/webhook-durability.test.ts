import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freshPostgresDatabase } from './support/postgres.js';
import { send } from './support/plain-http.js';
import { cli, startServerProcess, stop } from './support/processes.js';
import { eventually, startReceiver, type Received } from './support/webhook-receiver.js';

/**
 * Delivery as operators run it: `node dist/src/main.js` processes, killed with SIGKILL in the
 * middle of a burst of changes, restarted, and (on PostgreSQL) two instances on one database.
 * The receiver verifies every signature with the standardwebhooks package.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'linked-orgs-webhook-durability-'));
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

const BURST = 500;
const IN_FLIGHT = 20;
const KILL_AFTER = 200;
const ORGANIZATIONS = 5;

const WEBHOOK_ENV = {
  WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
  WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  WEBHOOK_RETRY_SCHEDULE: '100ms,200ms,400ms,800ms,1s,2s,5s',
  // A lease outlives an attempt by 8 s: a killed instance's endpoints are taken over about 9 s after its last attempt.
  WEBHOOK_TIMEOUT_MS: '1000',
  RATE_LIMIT_PER_MINUTE: '100000',
};

type Instance = Awaited<ReturnType<typeof startServerProcess>>;
type Headers = Record<string, string>;

async function partnerHeaders(url: string, email: string): Promise<Headers> {
  const { token } = JSON.parse((await cli(url, 'partner', 'create', '--email', email, '--name', 'Hooked')).stdout);
  return { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
}

async function json(base: string, method: string, url: string, headers: Headers, body?: unknown) {
  const res = await send(`${base}${url}`, { method, headers }, body);
  expect([200, 201]).toContain(res.status);
  return JSON.parse(res.body) as Record<string, any>;
}

/** The organizations, and an endpoint of their owner receiving everything at `hookPath`. */
async function setUp(base: string, headers: Headers, hookPath: string) {
  const hook = await json(base, 'POST', '/api/webhook_endpoints', headers, { url: `${receiver.base}${hookPath}` });
  receiver.trust(hookPath, hook.secret);
  const organizations: string[] = [];
  for (let n = 0; n < ORGANIZATIONS; n++) organizations.push((await json(base, 'POST', '/api/organizations', headers, { name: `Hooked ${n}` }))['@id']);
  return { hook, organizations };
}

/**
 * Renames the organizations BURST times, IN_FLIGHT at a time across the given instances, and
 * SIGKILLs `victim` once KILL_AFTER renames are acknowledged; requests to it fail from then on,
 * the others go on (the survivors' requests are what the kill cannot touch).
 */
async function burst(bases: string[], headers: Headers, organizations: string[], victim?: { child: ChildProcess; base: string }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT * bases.length });
  let sent = 0;
  let acknowledged = 0;
  let killed = false;
  const failedAtVictim: string[] = [];
  const unexpected: string[] = [];
  const worker = async () => {
    while (sent < BURST) {
      const n = sent++;
      const live = bases.filter((b) => !(killed && b === victim?.base));
      if (live.length === 0) break;
      const base = live[n % live.length];
      const organization = organizations[n % organizations.length];
      try {
        const res = await send(`${base}${organization}`, { method: 'PATCH', agent, headers: { ...headers, 'Content-Type': 'application/merge-patch+json' } }, { name: `Renamed ${n}` });
        if (res.status === 200) acknowledged++;
        else unexpected.push(`${n}: ${res.status} ${res.body}`);
      } catch (error) {
        (killed && base === victim?.base ? failedAtVictim : unexpected).push(`${n}: ${(error as Error).message}`);
      }
      if (victim && !killed && acknowledged >= KILL_AFTER) {
        killed = true;
        victim.child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  agent.destroy();
  expect(unexpected).toEqual([]);
  return { acknowledged, killed };
}

/** Every event the partner may read, oldest first (the feed after the crash is what committed). */
async function feed(base: string, headers: Headers): Promise<Record<string, any>[]> {
  const events: Record<string, any>[] = [];
  let url: string | undefined = '/api/events?itemsPerPage=100';
  for (let pages = 0; url && pages < 30; pages++) {
    const page: Record<string, any> = await json(base, 'GET', url, headers);
    events.push(...page['hydra:member']);
    url = page['hydra:member'].length ? page['hydra:view']['hydra:next'] : undefined;
  }
  return events;
}

/**
 * What the receiver got at a path against the feed: every committed event at least once, none
 * that is not in the feed, every signature verified, and per organization the first arrival of
 * each event in commit order. Returns the counts the note quotes.
 */
function checkDeliveries(received: Received[], events: Record<string, any>[]) {
  const committed = new Map(events.map((e) => [e.id as string, e]));
  const ids = received.map((r) => String(r.headers['webhook-id']));
  expect(received.filter((r) => r.verifiedWith.length !== 1)).toEqual([]);
  expect(ids.filter((id) => !committed.has(id))).toEqual([]);
  expect(events.filter((e) => !ids.includes(e.id)).map((e) => e.id)).toEqual([]);
  const firsts = [...new Set(ids)].map((id) => committed.get(id)!);
  for (const organization of new Set(events.map((e) => e.organization))) {
    const sequences = firsts.filter((e) => e.organization === organization).map((e) => e.sequence as number);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
  }
  // The body is the feed's event with its context.
  for (const { event: { '@context': context, ...event }, headers } of received) {
    expect(context).toBe('/api/contexts/Event');
    expect(event).toEqual(committed.get(String(headers['webhook-id'])));
  }
  return { events: events.length, deliveries: ids.length, duplicates: ids.length - new Set(ids).size };
}

async function allDelivered(hookPath: string, events: Record<string, any>[], timeoutMs = 60_000) {
  await eventually(() => {
    const got = new Set(receiver.at(hookPath).map((r) => r.headers['webhook-id']));
    return events.every((e) => got.has(e.id));
  }, `all ${events.length} events delivered to ${hookPath}`, timeoutMs);
}

interface Target { url: string; drop: () => Promise<unknown> }
const engines: [string, () => Promise<Target>][] = [['SQLite', async () => ({ url: `sqlite:${path.join(dir, 'crash.sqlite')}`, drop: async () => undefined })]];
if (process.env.DATABASE_URL?.startsWith('postgres')) engines.push(['PostgreSQL', () => freshPostgresDatabase(process.env.DATABASE_URL!)]);

describe.each(engines)('Webhook delivery through a crash on %s', (engine, open) => {
  it(`When the service is killed with SIGKILL during a burst of ${BURST} changes and restarted, then every committed change is delivered at least once, none that did not commit, in commit order per organization`, async () => {
    const target = await open();
    const hookPath = `/crash/${engine}`;
    let child: ChildProcess | undefined;
    try {
      const env = { ...WEBHOOK_ENV, DATABASE_URL: target.url };
      const first = await startServerProcess(env);
      child = first.child;
      const headers = await partnerHeaders(target.url, `crash.${engine.toLowerCase()}@example.com`);
      const { organizations } = await setUp(first.base, headers, hookPath);
      const { acknowledged, killed } = await burst([first.base], headers, organizations, first);
      expect(killed).toBe(true);
      const before = receiver.at(hookPath).length;

      const restarted = await startServerProcess(env);
      child = restarted.child;
      const events = await feed(restarted.base, headers);
      // Each acknowledged rename committed its event; those the kill cut may or may not have.
      expect(events.length).toBeGreaterThanOrEqual(ORGANIZATIONS + acknowledged);
      await allDelivered(hookPath, events);
      const counts = checkDeliveries(receiver.at(hookPath), events);
      process.stdout.write(`webhook crash ${engine}: ${acknowledged} renames acknowledged before the kill, ${counts.events} events committed, ${before} deliveries before the kill, ${counts.deliveries} in all (${counts.duplicates} sent again after the restart), 0 missing, 0 without a commit\n`);
    } finally {
      if (child) await stop(child);
      await target.drop();
    }
  }, 120_000);
});

const SERVER_URL = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : (process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test');

describe('Webhook delivery by two instances on one PostgreSQL database', () => {
  it('When both instances run, then each event reaches each endpoint exactly once, in order', async () => {
    const target = await freshPostgresDatabase(SERVER_URL);
    const instances: Instance[] = [];
    try {
      const env = { ...WEBHOOK_ENV, DATABASE_URL: target.url };
      instances.push(await startServerProcess(env), await startServerProcess(env));
      const headers = await partnerHeaders(target.url, 'two.instances@example.com');
      const paths = ['/two/a', '/two/b', '/two/c'];
      const [{ organizations }] = [await setUp(instances[0].base, headers, paths[0])];
      for (const p of paths.slice(1)) {
        const hook = await json(instances[1].base, 'POST', '/api/webhook_endpoints', headers, { url: `${receiver.base}${p}` });
        receiver.trust(p, hook.secret);
      }
      await burst(instances.map((i) => i.base), headers, organizations);
      const events = await feed(instances[0].base, headers);
      for (const p of paths) await allDelivered(p, events.filter((e) => p === paths[0] || e.type === 'organization.updated'));
      // Give a duplicate time to show up: both instances keep polling.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const renamed = events.filter((e) => e.type === 'organization.updated');
      const a = checkDeliveries(receiver.at(paths[0]), events);
      expect(a.duplicates).toBe(0);
      for (const p of paths.slice(1)) {
        // Registered after the organizations were created: from then on only.
        expect(checkDeliveries(receiver.at(p), renamed).duplicates).toBe(0);
        expect(receiver.at(p).map((r) => r.headers['webhook-id'])).toEqual(renamed.map((e) => e.id));
      }
      expect(receiver.at(paths[0]).map((r) => r.headers['webhook-id'])).toEqual(events.map((e) => e.id));
      process.stdout.write(`webhook two instances: ${events.length} events, 3 endpoints, ${paths.reduce((n, p) => n + receiver.at(p).length, 0)} deliveries, 0 duplicates\n`);
    } finally {
      await Promise.all(instances.map((i) => stop(i.child)));
      await target.drop();
    }
  }, 120_000);

  it.each([0, 1])('When instance %i is killed with SIGKILL during a burst, then the other takes its deliveries over and no event is lost', async (victimIndex) => {
    const target = await freshPostgresDatabase(SERVER_URL);
    const instances: Instance[] = [];
    const hookPath = `/two/killed-${victimIndex}`;
    try {
      const env = { ...WEBHOOK_ENV, DATABASE_URL: target.url };
      instances.push(await startServerProcess(env), await startServerProcess(env));
      const headers = await partnerHeaders(target.url, `killed.${victimIndex}@example.com`);
      const { organizations } = await setUp(instances[victimIndex].base, headers, hookPath);
      const victim = instances[victimIndex];
      const survivor = instances[1 - victimIndex];
      const { killed } = await burst(instances.map((i) => i.base), headers, organizations, victim);
      expect(killed).toBe(true);
      const events = await feed(survivor.base, headers);
      await allDelivered(hookPath, events);
      const counts = checkDeliveries(receiver.at(hookPath), events);
      process.stdout.write(`webhook instance ${victimIndex} killed: ${counts.events} events committed, ${counts.deliveries} deliveries (${counts.duplicates} sent again), 0 missing\n`);
    } finally {
      await Promise.all(instances.map((i) => stop(i.child)));
      await target.drop();
    }
  }, 120_000);
});
