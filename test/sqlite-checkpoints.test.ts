import BetterSqlite3 from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CHECKPOINT_INTERVAL_MS } from '../src/persistence/sqlite-checkpointer.js';
import { startApi, type Api } from './support/harness.js';

// On SQLite the service's connections leave WAL checkpoints to a thread of their own
// (src/persistence/sqlite-checkpointer.ts), so that no commit, on the writer thread or the
// event loop, stalls while the WAL is copied into the database file. What shows it from outside:
// the database file by itself, without its WAL, soon holds what the API has just written, long
// before the WAL reaches the size at which a committing connection would checkpoint.
const onPostgres = process.env.DATABASE_URL?.startsWith('postgres') ?? false;

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

/** The organizations' ids in the database file alone, read from a copy without its WAL. */
function idsInDatabaseFileAlone(file: string): Set<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'linked-orgs-main-file-'));
  try {
    copyFileSync(file, path.join(dir, 'copy.sqlite'));
    const copy = new BetterSqlite3(path.join(dir, 'copy.sqlite'), { readonly: true });
    const ids = new Set((copy.prepare('SELECT id FROM organization').all() as { id: string }[]).map((r) => r.id));
    copy.close();
    return ids;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

(onPostgres ? describe.skip : describe)('WAL checkpoints on SQLite', () => {
  it('When organizations are created, then within a few checkpoint intervals the database file itself holds them', async () => {
    const file = api.url.slice('sqlite:'.length);
    const partner = await api.partner();
    const created: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await api.http().post('/api/organizations').set(partner.auth).send({ name: `Checkpointed ${i}` });
      expect(res.status).toBe(201);
      created.push(res.body.id);
    }
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
    let missing = created;
    for (let wait = 0; missing.length && wait < 30; wait++) {
      await new Promise((resolve) => setTimeout(resolve, CHECKPOINT_INTERVAL_MS));
      const ids = idsInDatabaseFileAlone(file);
      missing = created.filter((id) => !ids.has(id));
    }
    expect(missing).toEqual([]);
  });
});
