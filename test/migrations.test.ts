import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { openDatabase } from '../src/persistence/database.js';
import { loadMigrations, MIGRATION_NAMES } from '../src/persistence/migrations/index.js';
import { freshPostgresDatabase } from './support/postgres.js';

const migrations = await loadMigrations();

let url: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  if (process.env.DATABASE_URL?.startsWith('postgres')) {
    const database = await freshPostgresDatabase(process.env.DATABASE_URL);
    url = database.url;
    cleanup = async () => void (await database.drop());
  } else {
    const dir = mkdtempSync(path.join(tmpdir(), 'linked-orgs-migrations-'));
    url = `sqlite:${path.join(dir, 'old.sqlite')}`;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
});
afterAll(() => cleanup());

/** A database as the first release left it: only the first migration has run. */
async function firstReleaseDatabase(): Promise<DataSource> {
  const options = url.startsWith('sqlite:') ? { type: 'better-sqlite3' as const, database: url.slice('sqlite:'.length) } : { type: 'postgres' as const, url };
  const dataSource = new DataSource({ ...options, migrations: migrations.slice(0, 1) });
  await dataSource.initialize();
  await dataSource.runMigrations();
  return dataSource;
}

/** PostgreSQL's placeholders are numbered. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

describe('Upgrading a database', () => {
  it('When a first-release database with members and auto_join_domains is opened, then the new migrations keep every membership, count them, and make the domains joinable', async () => {
    const old = await firstReleaseDatabase();
    const at = new Date().toISOString();
    const ids = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'];
    const [org, alice, bob] = ids;
    const insert = (sql: string, values: unknown[]) => old.query(url.startsWith('sqlite:') ? sql : numbered(sql), values);
    for (const [id, email] of [[alice, 'alice@old.example'], [bob, 'bob@old.example']]) {
      await insert('INSERT INTO partner (id, email, email_key, name, created_at) VALUES (?, ?, ?, ?, ?)', [id, email, email, email, at]);
    }
    await insert(
      "INSERT INTO organization (id, name, slug, metadata, invites_enabled, members_can_invite, ip_allowlist, auto_join_domains, created_at, updated_at) VALUES (?, 'Old Org', 'old-org', '{}', ?, ?, '[]', '[\"Old.Example\", \"old.example\", \"other.example\"]', ?, ?)",
      [org, true, false, at, at],
    );
    await insert('INSERT INTO membership (id, organization_id, partner_id, role, joined_at) VALUES (?, ?, ?, ?, ?)', ['44444444-4444-4444-8444-444444444444', org, alice, 'owner', at]);
    await insert('INSERT INTO membership (id, organization_id, partner_id, role, joined_at) VALUES (?, ?, ?, ?, ?)', ['55555555-5555-4555-8555-555555555555', org, bob, 'member', at]);
    await old.destroy();

    const { database } = await openDatabase({ url });
    try {
      const row = await database.get<{ member_count: number | string; max_members: number | string; is_personal: unknown }>('SELECT member_count, max_members, is_personal FROM organization WHERE id = ?', [org]);
      expect(Number(row?.member_count)).toBe(2);
      expect(Number(row?.max_members)).toBe(0);
      expect(row?.is_personal === false || row?.is_personal === 0).toBe(true);
      const memberships = await database.all('SELECT id FROM membership WHERE organization_id = ?', [org]);
      expect(memberships).toHaveLength(2);
      const domains = await database.all<{ domain: string }>('SELECT domain FROM auto_join_domain WHERE organization_id = ? ORDER BY domain', [org]);
      expect(domains.map((d) => d.domain)).toEqual(['old.example', 'other.example']);
    } finally {
      await database.close();
    }
  });
});

describe('The list of migration names', () => {
  it('When the names in the migration list (what the CLI checks without TypeORM) are compared with the migrations that run, then they name each one, in order', () => {
    expect(migrations.map((Migration) => new Migration().name)).toEqual([...MIGRATION_NAMES]);
  });
});
