import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabase, type Database } from '../src/persistence/database.js';
import { freshPostgresDatabase } from './support/postgres.js';
import { startTcpProxy } from './support/tcp-proxy.js';

// About PostgreSQL itself: runs in both passes, always against it.
const SERVER = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : (process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test');

let fresh: Awaited<ReturnType<typeof freshPostgresDatabase>>;
let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
let database: Database;

beforeAll(async () => {
  fresh = await freshPostgresDatabase(SERVER);
  const target = new URL(fresh.url);
  proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  target.port = String(proxy.port);
  ({ database } = await openDatabase({ url: target.toString(), poolSize: 2, connectTimeoutMs: 500 }));
});
afterAll(async () => {
  await database?.close().catch(() => undefined);
  await proxy?.close();
  await fresh?.drop();
});

describe('A connection lost in the middle of a transaction', () => {
  it('When the connection drops while a transaction holds it, then that transaction fails, the process lives on, and the next one works once the database is back', async () => {
    const failed = database.transaction(async (tx) => {
      await tx.get('SELECT 1');
      proxy.cut(); // the client is checked out of the pool, idle between two statements
      await new Promise((resolve) => setTimeout(resolve, 200));
      return tx.get('SELECT 2');
    });
    await expect(failed).rejects.toThrow();

    proxy.restore();
    await expect(database.transaction((tx) => tx.get<{ n: number }>('SELECT 3 AS n'))).resolves.toEqual({ n: 3 });
  });
});
