import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { openDatabase } from '../src/persistence/database.js';
import { createPartner } from '../src/resources/partner/partner-use-cases.js';
import { freshPostgresDatabase } from './support/postgres.js';
import { startServerProcess, stop } from './support/processes.js';
import { startTcpProxy } from './support/tcp-proxy.js';

// On PostgreSQL, concurrent requests share one check of the current snapshot
// (src/persistence/postgres-kept-values.ts). A check sent before a request asked must never
// answer it: its snapshot may predate a commit the client already saw. A proxy of the test's own
// holds PostgreSQL's answers, so a check stays in flight while a change commits elsewhere.
// About PostgreSQL itself, like the outage tests: in both passes, always against it.
const SERVER = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : (process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test');

let fresh: Awaited<ReturnType<typeof freshPostgresDatabase>>;
let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
let service: { child: ChildProcess; base: string; output: () => string };
let auth: Record<string, string>;

beforeAll(async () => {
  fresh = await freshPostgresDatabase(SERVER);
  const direct = await openDatabase({ url: fresh.url });
  auth = { Authorization: `Bearer ${(await createPartner(direct.database, { email: 'kept@example.com', name: 'Kept' })).token}` };
  await direct.database.close();
  const target = new URL(fresh.url);
  proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  target.port = String(proxy.port);
  service = await startServerProcess({ DATABASE_URL: target.toString() });
});

afterAll(async () => {
  await proxy?.restore();
  if (service) await stop(service.child);
  await proxy?.close();
  await fresh?.drop();
});

const get = async (path: string) => {
  const res = await fetch(service.base + path, { headers: auth });
  return { status: res.status, etag: res.headers.get('etag'), body: (await res.json()) as { name: string } };
};

describe('Checks of the snapshot shared between requests', () => {
  it('When a check is in flight, a change commits elsewhere and then another GET arrives, then that GET shows the change', async () => {
    const created = await fetch(service.base + '/api/organizations', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Held Before' }) });
    const path = new URL(((await created.json()) as { '@id': string })['@id'], service.base).pathname;
    const before = await get(path); // kept now, and the token's partner cached for a second
    expect((await get(path)).etag).toBe(before.etag);

    proxy.holdAnswers();
    const early = get(path); // its check reaches PostgreSQL; the answer is held
    await new Promise((resolve) => setTimeout(resolve, 200));
    const other = new pg.Client({ connectionString: fresh.url });
    await other.connect();
    try {
      await other.query('UPDATE organization SET name = $1, name_key = $2 WHERE id = $3', ['Held After', 'held after', path.split('/').pop()]);
    } finally {
      await other.end();
    }
    const late = get(path); // asked after the commit: it may not share the early check
    await new Promise((resolve) => setTimeout(resolve, 200));
    await proxy.restore();

    expect((await early).body.name).toBe('Held Before');
    const answer = await late;
    expect(answer.status).toBe(200);
    expect(answer.body.name).toBe('Held After');
    expect(answer.etag).not.toBe(before.etag);
  });
});
