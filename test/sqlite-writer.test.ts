import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { startWriter, type SqliteWriter } from '../src/persistence/sqlite-writer.js';

// The SQLite writer thread commits the batches that queued while it was busy as one
// transaction, each batch in a savepoint of its own (group commit). Batches sent before the
// thread has started all wait in its queue, so they are made as one group: these tests hold the
// group to its promise, that each batch still succeeds or fails alone, as if committed one by one.
let dir: string;
let writer: SqliteWriter | undefined;
afterEach(async () => {
  await writer?.close();
  writer = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function database(): string {
  dir = mkdtempSync(path.join(tmpdir(), 'linked-orgs-writer-'));
  const file = path.join(dir, 'writer.sqlite');
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE row (key TEXT PRIMARY KEY)');
  db.close();
  return file;
}

const keys = (file: string) => {
  const db = new BetterSqlite3(file, { readonly: true });
  const found = (db.prepare('SELECT key FROM row ORDER BY key').all() as { key: string }[]).map((r) => r.key);
  db.close();
  return found;
};

describe('Group commit in the SQLite writer', () => {
  it('When 30 batches queue together and 25 fail on their second statement, then those 25 leave nothing and the 5 others are all committed', async () => {
    const file = database();
    writer = startWriter({ file, synchronous: 'FULL', cacheKib: 2000 });
    // Batch i writes its own key, then a key shared by every fifth batch: the first of each
    // five takes it, the four after fail on it, and their own key must be undone with them.
    const sent = Array.from({ length: 30 }, (_, i) =>
      writer!.batch([
        { sql: 'INSERT INTO row (key) VALUES (?)', params: [`own-${String(i).padStart(2, '0')}`] },
        { sql: 'INSERT INTO row (key) VALUES (?)', params: [`shared-${i % 5}`] },
      ]),
    );
    const outcomes = await Promise.allSettled(sent);
    expect(outcomes.map((o) => o.status)).toEqual(Array.from({ length: 30 }, (_, i) => (i < 5 ? 'fulfilled' : 'rejected')));
    for (const o of outcomes.slice(5)) expect((o as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(keys(file)).toEqual(['own-00', 'own-01', 'own-02', 'own-03', 'own-04', 'shared-0', 'shared-1', 'shared-2', 'shared-3', 'shared-4']);
  });

  it('When a batch follows a failed one in the same group, then it sees the writes of the batches before it and none of the failed one, as in arrival order', async () => {
    const file = database();
    writer = startWriter({ file, synchronous: 'FULL', cacheKib: 2000 });
    const first = writer.batch([{ sql: 'INSERT INTO row (key) VALUES (?)', params: ['a'] }]);
    const failed = writer.batch([
      { sql: 'INSERT INTO row (key) VALUES (?)', params: ['b'] },
      { sql: 'INSERT INTO row (key) VALUES (?)', params: ['a'] },
    ]);
    // Copies every key into a new one: it runs after both, so it copies only 'a'.
    const copy = writer.batch([{ sql: "INSERT INTO row (key) SELECT key || '-copy' FROM row", params: [] }]);
    await expect(first).resolves.toBeUndefined();
    await expect(failed).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    await expect(copy).resolves.toBeUndefined();
    expect(keys(file)).toEqual(['a', 'a-copy']);
  });
});
