import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { loadMigrations } from '../src/persistence/migrations/index.js';
import { freshPostgresDatabase } from './support/postgres.js';
import { cli, startServerProcess, stop } from './support/processes.js';

const migrations = await loadMigrations();

/**
 * Two real service processes on one PostgreSQL database, as behind a load balancer: each
 * conflicting pair of requests goes one to each process at the same moment, so only the
 * database (row locks, unique indexes, the migration advisory lock) can keep the invariants.
 */
const SERVER_URL = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : (process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const ROUNDS = 5;
const MERGE_PATCH = 'application/merge-patch+json';

type Instance = Awaited<ReturnType<typeof startServerProcess>>;
type Body = Record<string, any>;
type Partner = { id: string; email: string; name: string; token: string };

let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
let a: Instance | undefined;
let b: Instance | undefined;
let alice: Partner, bob: Partner, carol: Partner;

/** One request to one instance; bounded, so a stuck lock fails the test instead of hanging it. */
async function send(instance: Instance | undefined, who: Partner, method: string, path: string, body?: object, contentType = 'application/json') {
  const res = await fetch(`${instance!.base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${who.token}`, ...(body ? { 'Content-Type': contentType } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Body };
}

async function partner(name: string): Promise<Partner> {
  const created = await cli(database.url, 'partner', 'create', '--email', `${name.toLowerCase()}@instances.example`, '--name', name);
  if (created.code !== 0) throw new Error(`partner create failed: ${created.stderr}`);
  return JSON.parse(created.stdout);
}

/** A fresh organization owned by `owner`, created through instance A. */
async function organization(owner: Partner): Promise<Body> {
  const res = await send(a, owner, 'POST', '/api/organizations', { name: 'Two Instances Co' });
  expect(res.status).toBe(201);
  return res.body;
}

/** A fresh organization with alice and bob as its two owners; bob's membership is returned too. */
async function twoOwners() {
  const org = await organization(alice);
  const added = await send(b, alice, 'POST', org.all_members, { email: bob.email, role: 'owner' });
  expect(added.status).toBe(201);
  return { org, aliceMember: org.owners[0] as Body, bobMember: added.body };
}

async function members(org: Body, who: Partner, instance = a) {
  const res = await send(instance, who, 'GET', `${org.all_members}?itemsPerPage=100`);
  expect(res.status).toBe(200);
  return res.body['hydra:member'] as Body[];
}

beforeAll(async () => {
  database = await freshPostgresDatabase(SERVER_URL);
  // Both start on the brand-new database at the same moment, so both try to migrate it.
  const started = await Promise.allSettled([startServerProcess({ DATABASE_URL: database.url }), startServerProcess({ DATABASE_URL: database.url })]);
  [a, b] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  [alice, bob, carol] = await Promise.all([partner('Alice'), partner('Bob'), partner('Carol')]);
}, 60_000);

afterAll(async () => {
  await Promise.all([a, b].map((instance) => (instance ? stop(instance.child) : undefined)));
  await database?.drop();
}, 30_000);

describe('Two instances on one PostgreSQL database', () => {
  it('When both instances start at the same moment on a brand-new database, then both answer /health/ready 200 and each migration ran once', async () => {
    const ready = await Promise.all([a, b].map((instance) => fetch(`${instance!.base}/health/ready`, { signal: AbortSignal.timeout(5_000) })));
    expect(ready.map((r) => r.status)).toEqual([200, 200]);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT name, count(*)::int AS runs FROM migrations GROUP BY name');
      expect(rows).toHaveLength(migrations.length);
      expect(rows.every((row) => row.runs === 1)).toBe(true);
    } finally {
      await client.end();
    }
  });

  it('When an organization is created and changed through one instance, then the other reads the change', async () => {
    const org = await organization(alice);
    const read = await send(b, alice, 'GET', org['@id']);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: org.id, name: 'Two Instances Co', member_count: 1 });
    expect((await send(b, alice, 'POST', org.all_members, { email: bob.email, role: 'admin' })).status).toBe(201);
    expect((await send(a, bob, 'GET', org['@id'])).body.member_count).toBe(2);
  });
});

describe('The last owner, across instances', () => {
  it('When two owners on two instances demote each other at the same moment, then exactly one owner remains', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { org, aliceMember, bobMember } = await twoOwners();
      const results = await Promise.all([
        send(a, alice, 'PATCH', bobMember['@id'], { role: 'admin' }, MERGE_PATCH),
        send(b, bob, 'PATCH', aliceMember['@id'], { role: 'admin' }, MERGE_PATCH),
      ]);
      // Whoever goes second is no longer an owner (403) or would remove the last one (409).
      expect([[200, 403], [200, 409]]).toContainEqual(results.map((r) => r.status).sort());
      expect((await members(org, alice)).filter((m) => m.role === 'owner')).toHaveLength(1);
    }
  }, 30_000);

  it('When two owners on two instances leave at the same moment, then one leaves (204), the other is the last owner (409)', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { org, aliceMember, bobMember } = await twoOwners();
      const results = await Promise.all([send(a, alice, 'DELETE', aliceMember['@id']), send(b, bob, 'DELETE', bobMember['@id'])]);
      expect(results.map((r) => r.status).sort()).toEqual([204, 409]);
      expect(results.find((r) => r.status === 409)!.body.type).toMatch(/\/api\/errors\/last-owner$/);
      const survivor = results[0].status === 204 ? bob : alice;
      const after = await send(b, survivor, 'GET', org['@id']);
      expect(after.body.owners).toHaveLength(1);
      expect(after.body.member_count).toBe(1);
    }
  }, 30_000);
});

describe('Invitations, across instances', () => {
  it('When the invitee accepts one invitation on both instances at the same moment, then one membership (200) and one 409', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const org = await organization(alice);
      const invited = await send(a, alice, 'POST', org.invitations, { email: carol.email, role: 'member' });
      expect(invited.status).toBe(201);
      const results = await Promise.all([send(a, carol, 'POST', invited.body.accept), send(b, carol, 'POST', invited.body.accept)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const all = await members(org, alice, b);
      expect(all.filter((m) => m.email === carol.email)).toHaveLength(1);
      expect((await send(a, alice, 'GET', org['@id'])).body.member_count).toBe(all.length);
      expect(all).toHaveLength(2);
    }
  }, 30_000);

  it('When the same email is invited on both instances at the same moment, then exactly one pending invitation (one 201, the rest 409)', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const org = await organization(alice);
      const body = { email: `race.${round}@instances.example`, role: 'member' };
      const results = await Promise.all([a, b, a, b].map((instance) => send(instance, alice, 'POST', org.invitations, body)));
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
      const pending = await send(b, alice, 'GET', `${org.invitations}?status=pending`);
      expect(pending.body['hydra:totalItems']).toBe(1);
    }
  }, 30_000);
});
