import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { pino } from 'pino';
import request from 'supertest';
import { buildApp } from '../src/app.js';
import { MIGRATION_LOCK_KEY, openDatabase, type Database } from '../src/persistence/database.js';
import { loadMigrations } from '../src/persistence/migrations/index.js';
import { createPartner } from '../src/resources/partner/partner-use-cases.js';
import { freshPostgresDatabase } from './support/postgres.js';
import { startTcpProxy } from './support/tcp-proxy.js';

const migrations = await loadMigrations();

// These tests are about PostgreSQL itself: they run in both passes, always against it.
const SERVER = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : (process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test');

let fresh: Awaited<ReturnType<typeof freshPostgresDatabase>>;
beforeAll(async () => {
  fresh = await freshPostgresDatabase(SERVER);
});
afterAll(() => fresh.drop());

async function until<T>(attempt: () => Promise<T>, done: (value: T) => boolean, tries = 50): Promise<T> {
  let value = await attempt();
  for (let i = 0; i < tries && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 100));
    value = await attempt();
  }
  return value;
}

describe('Several instances starting at once', () => {
  it('When four instances open a new database at the same moment, then each migration runs exactly once and all start', async () => {
    const opened = await Promise.all(Array.from({ length: 4 }, () => openDatabase({ url: fresh.url, poolSize: 2 })));
    try {
      const rows = await opened[0].database.all<{ name: string }>('SELECT name FROM migrations ORDER BY id');
      expect(rows.map((r) => r.name)).toEqual(migrations.map((m) => new m().name));
    } finally {
      await Promise.all(opened.map(({ database }) => database.close()));
    }
  });
});

describe('Migrations are not held to the bounds of requests', () => {
  it('When another instance holds the migration lock for longer than the statement and query timeouts, then this one waits its turn and starts', async () => {
    const other = new pg.Client({ connectionString: fresh.url });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      let settled = false;
      const opening = openDatabase({ url: fresh.url, statementTimeoutMs: 300, queryTimeoutMs: 600 }).finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(settled).toBe(false);
      await other.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      await (await opening).database.close();
    } finally {
      await other.end();
    }
  });

  it('When the pool has a single connection, then the service still migrates and serves', async () => {
    const { database } = await openDatabase({ url: fresh.url, poolSize: 1 });
    try {
      expect(await database.get('SELECT 1 AS ok')).toEqual({ ok: 1 });
    } finally {
      await database.close();
    }
  });
});

describe('Transactions on PostgreSQL', () => {
  it('When a statement fails inside a transaction and the work carries on, then the transaction is not reported as committed and none of it is written', async () => {
    const { database } = await openDatabase({ url: fresh.url, poolSize: 2 });
    try {
      const id = randomUUID();
      const work = database.transaction(async (tx) => {
        await tx.run('INSERT INTO partner (id, email, email_key, name, created_at) VALUES (?, ?, ?, ?, ?)', [id, 'swallowed@example.com', 'swallowed@example.com', 'Swallowed', new Date().toISOString()]);
        await tx.get('SELECT 1 / 0 AS never').catch(() => undefined); // PostgreSQL aborts the transaction here
        return 'done';
      });
      await expect(work).rejects.toThrow(/answered COMMIT with ROLLBACK/);
      expect(await database.get('SELECT id FROM partner WHERE id = ?', [id])).toBeUndefined();
    } finally {
      await database.close();
    }
  });
});

describe('When the database goes away', () => {
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let database: Database;
  let http: () => request.Agent;
  let auth: Record<string, string>;
  let closeServer: () => Promise<unknown>;

  beforeAll(async () => {
    const target = new URL(fresh.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    target.port = String(proxy.port);
    ({ database } = await openDatabase({ url: target.toString(), poolSize: 3, connectTimeoutMs: 500 }));
    const server = buildApp({ db: database, logger: pino({ level: 'silent' }) }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    http = () => request.agent(server);
    const partner = await createPartner(database, { email: 'resilient@example.com', name: 'Resilient' });
    auth = { Authorization: `Bearer ${partner.token}` };
    closeServer = () => new Promise((resolve) => server.close(resolve));
  });
  afterAll(async () => {
    proxy.restore();
    await closeServer();
    await database.close().catch(() => undefined);
    await proxy.close();
  });

  it('When the connection to PostgreSQL is cut, then requests fail fast with 503 and Retry-After, liveness stays up, readiness says no', async () => {
    expect((await http().get('/api/organizations').set(auth)).status).toBe(200);
    proxy.cut();
    const started = Date.now();
    const res = await http().post('/api/organizations').set(auth).send({ name: 'While Away' });
    expect(res.status).toBe(503);
    expect(res.type).toBe('application/problem+json');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.text).not.toMatch(/at .*\.js:\d+/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await http().get('/health')).status).toBe(200);
    const ready = await http().get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers['retry-after']).toBeDefined();
  });

  it('When PostgreSQL is reachable again, then the service recovers without a restart, and nothing was written while away', async () => {
    proxy.restore();
    const ready = await until(() => http().get('/health/ready'), (r) => r.status === 200);
    expect(ready.status).toBe(200);
    const list = await until(() => http().get('/api/organizations').set(auth), (r) => r.status === 200);
    expect(list.status).toBe(200);
    expect(list.body['hydra:member'].map((o: { name: string }) => o.name)).not.toContain('While Away');
    expect((await http().post('/api/organizations').set(auth).send({ name: 'After Return' })).status).toBe(201);
  });

  it("When PostgreSQL terminates the service's connections, then the next requests are served on new ones", async () => {
    const admin = new pg.Client({ connectionString: SERVER });
    await admin.connect();
    try {
      const { rowCount } = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'linked-orgs'", [new URL(fresh.url).pathname.slice(1)]);
      expect(rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    const statuses: number[] = [];
    const list = await until(async () => {
      const res = await http().get('/api/organizations').set(auth);
      statuses.push(res.status);
      return res;
    }, (r) => r.status === 200);
    expect(list.status).toBe(200);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
  });
});
