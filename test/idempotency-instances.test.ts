import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { freshPostgresDatabase } from './support/postgres.js';
import { cli, startServerProcess, stop } from './support/processes.js';

/**
 * The same Idempotency-Key on two real service processes sharing one PostgreSQL database. To
 * keep a first request in the middle of its work for as long as a test needs, the test holds
 * a row lock its work must wait for (the partner row, which adding the owner's membership
 * locks FOR KEY SHARE), the way a slow concurrent transaction would.
 */
const SERVER_URL = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : (process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
// Statements may wait on the test's lock longer than a retry waits for the key (5 s).
const ENV = { DATABASE_STATEMENT_TIMEOUT_MS: '30000' };

type Instance = Awaited<ReturnType<typeof startServerProcess>>;
type Partner = { id: string; email: string; token: string };

let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
let a: Instance | undefined;
let b: Instance | undefined;
let admin: pg.Client;

async function partner(name: string): Promise<Partner> {
  const created = await cli(database.url, 'partner', 'create', '--email', `${name.toLowerCase()}@keys.example`, '--name', name);
  if (created.code !== 0) throw new Error(`partner create failed: ${created.stderr}`);
  return JSON.parse(created.stdout);
}

async function create(instance: Instance | undefined, who: Partner, key: string, name: string) {
  const started = Date.now();
  const res = await fetch(`${instance!.base}/api/organizations`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${who.token}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
    body: JSON.stringify({ name }),
    signal: AbortSignal.timeout(20_000),
  });
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, replayed: res.headers.get('idempotent-replayed') === 'true', retryAfter: res.headers.get('retry-after'), body, ms: Date.now() - started };
}

async function namesOf(who: Partner): Promise<string[]> {
  const res = await fetch(`${a!.base}/api/organizations?itemsPerPage=100`, { headers: { Authorization: `Bearer ${who.token}` } });
  const page = (await res.json()) as { 'hydra:member': { name: string }[] };
  return page['hydra:member'].map((o) => o.name);
}

/** Holds the partner's row FOR UPDATE on a connection of the test's own until `release` (called again by afterEach). */
const locks: { release: () => Promise<void> }[] = [];
afterEach(() => Promise.all(locks.splice(0).map((lock) => lock.release().catch(() => undefined))));

async function holdPartner(who: Partner) {
  const client = new pg.Client({ connectionString: database.url });
  client.on('error', () => undefined); // dropping the database at the end ends it, if a failed test left it open
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT id FROM partner WHERE id = $1 FOR UPDATE', [who.id]);
  let released: Promise<void> | undefined;
  const lock = { release: () => (released ??= client.query('ROLLBACK').then(() => client.end())) };
  locks.push(lock);
  return lock;
}

/** Waits until `count` of the service's statements are waiting for a lock. */
async function waitersReach(count: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'linked-orgs' AND wait_event_type = 'Lock'");
    if (rows[0].n >= count) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`fewer than ${count} statements ever waited for a lock`);
}

beforeAll(async () => {
  database = await freshPostgresDatabase(SERVER_URL);
  a = await startServerProcess({ DATABASE_URL: database.url, ...ENV });
  b = await startServerProcess({ DATABASE_URL: database.url, ...ENV });
  admin = new pg.Client({ connectionString: database.url });
  admin.on('error', () => undefined);
  await admin.connect();
}, 60_000);

afterAll(async () => {
  await admin?.end();
  await Promise.all([a, b].map((instance) => (instance && instance.child.exitCode === null && instance.child.signalCode === null ? stop(instance.child) : undefined)));
  await database?.drop();
}, 30_000);

describe('The same Idempotency-Key on two instances (PostgreSQL)', () => {
  it('When the same keyed create reaches both instances at the same moment, then it is done once and both get the same 201', async () => {
    const alice = await partner('Alice');
    const pairs = await Promise.all(Array.from({ length: 10 }, (_, i) => Promise.all([create(a, alice, `both-${i}`, `Both ${i}`), create(b, alice, `both-${i}`, `Both ${i}`)])));
    for (const [fromA, fromB] of pairs) {
      expect([fromA.status, fromB.status]).toEqual([201, 201]);
      expect(fromB.body).toEqual(fromA.body);
      expect([fromA.replayed, fromB.replayed].filter(Boolean)).toHaveLength(1);
    }
    expect((await namesOf(alice)).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `Both ${i}`).sort());
  });

  it('When a retry reaches the other instance while the first request is still working, then it waits for it and gets its answer', async () => {
    const bob = await partner('Bob');
    const lock = await holdPartner(bob);
    const first = create(a, bob, 'slow-first', 'Slow First');
    await waitersReach(1);
    const retry = create(b, bob, 'slow-first', 'Slow First');
    await waitersReach(2); // the retry waits on the key the first holds
    await new Promise((r) => setTimeout(r, 500));
    await lock.release();
    const [one, two] = await Promise.all([first, retry]);
    expect([one.status, one.replayed, two.status, two.replayed]).toEqual([201, false, 201, true]);
    expect(two.body).toEqual(one.body);
    expect(await namesOf(bob)).toEqual(['Slow First']);
  });

  it('When the first request works longer than a retry may wait, then the retry gets 409 idempotency-key-in-use with Retry-After, and the answer once the first is done', async () => {
    const carol = await partner('Carol');
    const lock = await holdPartner(carol);
    const first = create(a, carol, 'very-slow', 'Very Slow');
    await waitersReach(1);
    const early = await create(b, carol, 'very-slow', 'Very Slow');
    await lock.release();
    expect(early.status).toBe(409);
    expect(early.body.type).toMatch(/\/api\/errors\/idempotency-key-in-use$/);
    expect(early.retryAfter).toBe('1');
    expect(early.ms).toBeGreaterThanOrEqual(4_000);
    expect(early.ms).toBeLessThan(9_000);
    expect((await first).status).toBe(201);
    const later = await create(b, carol, 'very-slow', 'Very Slow');
    expect([later.status, later.replayed]).toEqual([201, true]);
    expect(await namesOf(carol)).toEqual(['Very Slow']);
  });

  it('When the instance doing the first request is killed mid-work, then a retry on the other instance does the work at once: the key was never left held', async () => {
    const dave = await partner('Dave');
    const lock = await holdPartner(dave);
    const first = create(a, dave, 'killed-first', 'Killed First').then(() => 'answered', () => 'cut off');
    await waitersReach(1);
    const exited = new Promise((resolve) => a!.child.once('exit', (_code, signal) => resolve(signal)));
    a!.child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(await first).toBe('cut off');
    await lock.release();
    const retry = await create(b, dave, 'killed-first', 'Killed First');
    expect([retry.status, retry.replayed]).toEqual([201, false]);
    expect(retry.ms).toBeLessThan(4_000);
    a = await startServerProcess({ DATABASE_URL: database.url, ...ENV });
    expect(await namesOf(dave)).toEqual(['Killed First']);
  }, 40_000);
});
