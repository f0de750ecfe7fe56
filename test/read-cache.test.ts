import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApi, type Api } from './support/harness.js';

// What a GET reads is kept until anything is committed: on SQLite beside the read-only
// connection's reads (src/persistence/sqlite-read-cache.ts), on PostgreSQL under the snapshot
// read first (src/persistence/postgres-kept-values.ts). These tests write through connections
// the service does not own, as another instance, the CLI or an operator's psql would, then read
// through the API: the next GET must show the change, with no waiting.
const onPostgres = process.env.DATABASE_URL?.startsWith('postgres') ?? false;

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

interface OtherConnection {
  /** `?` placeholders on both engines. */
  run(sql: string, params: unknown[]): Promise<void>;
  close(): Promise<void>;
}

/** A connection of its own on the service's database, as another process has. */
async function otherConnection(): Promise<OtherConnection> {
  if (api.url.startsWith('postgres')) {
    const client = new pg.Client({ connectionString: api.url });
    await client.connect();
    return {
      run: async (sql, params) => {
        let n = 0;
        await client.query(sql.replace(/\?/g, () => `$${++n}`), params);
      },
      close: () => client.end(),
    };
  }
  const db = new BetterSqlite3(api.url.slice('sqlite:'.length), { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return {
    run: async (sql, params) => void db.prepare(sql).run(...params),
    close: async () => void db.close(),
  };
}

async function writeElsewhere(statements: Array<[string, unknown[]]>): Promise<void> {
  const other = await otherConnection();
  try {
    for (const [sql, params] of statements) await other.run(sql, params);
  } finally {
    await other.close();
  }
}

describe('Reads kept between commits', () => {
  it('When another connection changes an organization and its members after they were read, then the next GET shows the change and a new ETag', async () => {
    const owner = await api.partner('Cached Owner');
    const created = await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Before' });
    expect(created.status).toBe(201);
    const first = await api.http().get(created.body['@id']).set(owner.auth);
    const again = await api.http().get(created.body['@id']).set(owner.auth);
    expect(again.body).toEqual(first.body);
    expect(again.headers.etag).toBe(first.headers.etag);

    await writeElsewhere([
      ['UPDATE organization SET name = ?, name_key = ? WHERE id = ?', ['After', 'after', created.body.id]],
      ['UPDATE partner SET name = ? WHERE id = ?', ['Renamed Owner', owner.id]],
    ]);
    const after = await api.http().get(created.body['@id']).set(owner.auth);
    expect(after.status).toBe(200);
    expect(after.body.name).toBe('After');
    expect(after.body.owners.map((m: { name: string }) => m.name)).toEqual(['Renamed Owner']);
    expect(after.headers.etag).not.toBe(first.headers.etag);
  });

  it('When another connection removes a membership after it was read, then that partner\'s next GET is a 404', async () => {
    const owner = await api.partner('Kept Standing Owner');
    const member = await api.partner('Kept Standing Member');
    const created = await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Standing Co' });
    expect((await api.http().post(created.body.all_members).set(owner.auth).send({ email: member.email, role: 'admin' })).status).toBe(201);
    expect((await api.http().get(created.body['@id']).set(member.auth)).status).toBe(200);
    expect((await api.http().get(created.body['@id']).set(member.auth)).status).toBe(200);
    await writeElsewhere([['DELETE FROM membership WHERE organization_id = ? AND partner_id = ?', [created.body.id, member.id]]]);
    expect((await api.http().get(created.body['@id']).set(member.auth)).status).toBe(404);
    expect((await api.http().get(created.body['@id']).set(owner.auth)).body.members).toHaveLength(1);
  });

  // PostgreSQL only: SQLite has one writer, so a later transaction cannot commit before an open one.
  (onPostgres ? it : it.skip)('When a transaction elsewhere changes an organization, a later one commits, the organization is read, and then the first commits, then the next GET shows its change', async () => {
    // The later commit moves the snapshot's xmax past the open transaction, whose own commit then
    // only takes it out of the in-progress list: a check of xmax alone would answer what was kept.
    const owner = await api.partner('Open Transaction Owner');
    const created = await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Before Commit' });
    const other = await otherConnection();
    try {
      await other.run('BEGIN', []);
      await other.run('UPDATE organization SET name = ?, name_key = ? WHERE id = ?', ['After Commit', 'after commit', created.body.id]);
      await writeElsewhere([['UPDATE partner SET name = ? WHERE id = ?', ['Open Transaction Owner, later', owner.id]]]);
      const during = await api.http().get(created.body['@id']).set(owner.auth);
      expect(during.body.name).toBe('Before Commit');
      expect((await api.http().get(created.body['@id']).set(owner.auth)).headers.etag).toBe(during.headers.etag);
      await other.run('COMMIT', []);
      const after = await api.http().get(created.body['@id']).set(owner.auth);
      expect(after.body.name).toBe('After Commit');
      expect(after.headers.etag).not.toBe(during.headers.etag);
    } finally {
      await other.close();
    }
  });

  it('When another connection renames an organization between two pages read by its owner, then the second page shows the new name', async () => {
    const owner = await api.partner('Kept Page Owner');
    const created = await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Page Before' });
    const page = () => api.http().get('/api/organizations').set(owner.auth);
    expect((await page()).body['hydra:member'].map((o: { name: string }) => o.name)).toEqual(['Page Before']);
    expect((await page()).body['hydra:member'].map((o: { name: string }) => o.name)).toEqual(['Page Before']);
    await writeElsewhere([['UPDATE organization SET name = ?, name_key = ? WHERE id = ?', ['Page After', 'page after', created.body.id]]]);
    expect((await page()).body['hydra:member'].map((o: { name: string }) => o.name)).toEqual(['Page After']);
  });

  it('When other requests keep reading while changes commit elsewhere, then every GET sent after a commit shows it', async () => {
    // Concurrent requests share the check of what was committed (postgres-kept-values.ts); one
    // sent before a commit must never answer a request that arrived after it.
    const owner = await api.partner('Busy Reader');
    const created = await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Round 0' });
    const get = () => api.http().get(created.body['@id']).set(owner.auth);
    // Readers of their own (each partner may send 600 a minute), so checks are always in flight.
    const readers = await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        const reader = await api.partner(`Background Reader ${i}`);
        const own = await api.http().post('/api/organizations').set(reader.auth).send({ name: `Background ${i}` });
        return () => api.http().get(own.body['@id']).set(reader.auth);
      }),
    );
    let reading = true;
    const background = Promise.all(
      readers.map(async (read) => {
        for (let i = 0; reading && i < 500; i++) expect((await read()).status).toBe(200);
      }),
    );
    const other = await otherConnection();
    try {
      for (let round = 1; round <= 30; round++) {
        await other.run('UPDATE organization SET name = ?, name_key = ? WHERE id = ?', [`Round ${round}`, `round ${round}`, created.body.id]);
        expect((await get()).body.name).toBe(`Round ${round}`);
      }
    } finally {
      reading = false;
      await other.close();
      await background;
    }
  });
});
