import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApi, type Api } from './support/harness.js';

// SQLite's read-only connection keeps its answers until the next commit (src/persistence/sqlite-read-cache.ts).
// These tests write through connections the service does not own, then read through the API.
const onSqlite = !process.env.DATABASE_URL?.startsWith('postgres');

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

/** A connection of its own on the service's file, as another process (an operator's sqlite3, a second instance) has. */
function otherConnection(): BetterSqlite3.Database {
  const db = new BetterSqlite3(api.url.slice('sqlite:'.length), { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

(onSqlite ? describe : describe.skip)('Reads kept between commits (SQLite)', () => {
  it('When another connection changes an organization and its members after they were read, then the next GET shows the change and a new ETag', async () => {
    const owner = await api.partner('Cached Owner');
    const created = await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Before' });
    expect(created.status).toBe(201);
    const first = await api.http().get(created.body['@id']).set(owner.auth);
    const again = await api.http().get(created.body['@id']).set(owner.auth);
    expect(again.body).toEqual(first.body);
    expect(again.headers.etag).toBe(first.headers.etag);

    const other = otherConnection();
    try {
      other.prepare('UPDATE organization SET name = ?, name_key = ? WHERE id = ?').run('After', 'after', created.body.id);
      other.prepare('UPDATE partner SET name = ? WHERE id = ?').run('Renamed Owner', owner.id);
    } finally {
      other.close();
    }
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
    const other = otherConnection();
    try {
      other.prepare('DELETE FROM membership WHERE organization_id = ? AND partner_id = ?').run(created.body.id, member.id);
    } finally {
      other.close();
    }
    expect((await api.http().get(created.body['@id']).set(member.auth)).status).toBe(404);
    expect((await api.http().get(created.body['@id']).set(owner.auth)).body.members).toHaveLength(1);
  });
});
