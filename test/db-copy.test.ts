import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import request from 'supertest';
import { buildApp } from '../src/app.js';
import { copyDatabase } from '../src/persistence/copy-database.js';
import { tablesParentsFirst } from '../src/persistence/table-order.js';
import { openDatabase, type Database } from '../src/persistence/database.js';
import { PROJECT_ROOT } from '../src/project-root.js';
import { createPartner, issueToken, revokeToken } from '../src/resources/partner/partner-use-cases.js';
import { freshPostgresDatabase } from './support/postgres.js';

type Opened = Awaited<ReturnType<typeof openDatabase>>;
type Row = Record<string, unknown>;

const PG_SERVER = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : (process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const BOOLEANS = new Set(['invites_enabled', 'members_can_invite', 'is_personal', 'listed']);
const JSONS = new Set(['state_before', 'state_after', 'response_headers', 'metadata', 'ip_allowlist', 'auto_join_domains', 'config', 'data']);

/** Runs `npm run db:copy`'s command as a user would. */
async function dbCopy(...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(PROJECT_ROOT, 'dist/src/cli/db-copy.js'), ...args], { timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Rows as the API means them, whichever engine stored them. */
function normalize(row: Row): Row {
  return Object.fromEntries(
    Object.entries(row).map(([key, v]) => [
      key,
      v instanceof Date ? v.toISOString() : BOOLEANS.has(key) && typeof v === 'number' ? v === 1 : JSONS.has(key) && typeof v === 'string' ? JSON.parse(v) : v,
    ]),
  );
}

async function everyRow(db: Database): Promise<Record<string, Row[]>> {
  const tables: Record<string, Row[]> = {};
  for (const table of dataTables()) {
    const rows = await db.all<Row>(`SELECT * FROM ${table}`);
    // By the whole row, so tables without an id (partner_tally's key is two columns) compare too.
    tables[table] = rows.map(normalize).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return tables;
}

async function counts(db: Database): Promise<Record<string, number>> {
  return Object.fromEntries(await Promise.all(dataTables().map(async (t) => [t, Number((await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`))!.n)])));
}

const dir = mkdtempSync(path.join(tmpdir(), 'linked-orgs-copy-'));
const sourceUrl = `sqlite:${path.join(dir, 'source.sqlite')}`;
let source: Opened;
/** The tables the copy walks, in its order: those of the registry's entity schemas. */
const dataTables = () => tablesParentsFirst(source.dataSource);
let target: Awaited<ReturnType<typeof freshPostgresDatabase>>;
let owner: Awaited<ReturnType<typeof createPartner>>;
let revokedToken: string;
let ownerOrganizations: string[];

/** An embedded database with every kind of row, written through the real API and use cases. */
async function fillSource(db: Database) {
  const http = request(buildApp({ db, logger: pino({ level: 'silent' }) }));
  const partner = (name: string) => createPartner(db, { email: `${name}@partner.example`, name: `Partner ${name}` });
  owner = await partner('owner');
  const [admin, billing, member, invitee] = [await partner('admin'), await partner('billing'), await partner('member'), await partner('invitee')];
  const auth = (p: { token: string }) => ({ Authorization: `Bearer ${p.token}` });
  await issueToken(db, owner.email, { expiresInDays: 30, scopes: ['organization:read', 'member:read'] });
  const revoked = await issueToken(db, member.email);
  await revokeToken(db, revoked.id);
  revokedToken = revoked.token;

  const create = async (body: object) => {
    const res = await http.post('/api/organizations').set(auth(owner)).send(body);
    expect(res.status).toBe(201);
    return res.body;
  };
  const acme = await create({
    name: 'Acme Corp',
    metadata: { crm_id: 'C-42', région: 'Île-de-France' },
    billing_email: 'billing@acme.example',
    language: 'fr-CA',
    members_can_invite: true,
    ip_allowlist: ['10.0.0.0/8', '2001:db8::/32', '127.0.0.0/8'],
    auto_join_domains: ['acme.example'],
    max_members: 10,
  });
  await create({ name: 'Owner alone', is_personal: true });
  await create({ name: 'Quiet Ltd', invites_enabled: false });
  for (const [who, role] of [[admin, 'admin'], [billing, 'billing'], [member, 'member']] as const) {
    expect((await http.post(`${acme['@id']}/members`).set(auth(owner)).send({ email: who.email, role })).status).toBe(201);
  }
  const invite = async (email: string) => (await http.post(acme.invitations).set(auth(admin)).send({ email, role: 'member' })).body;
  await invite('pending@partner.example');
  expect((await http.post((await invite(invitee.email)).accept).set(auth(invitee))).status).toBe(200);
  expect((await http.post((await invite('revoked@partner.example')).revoke).set(auth(owner))).status).toBe(200);
  const crm = await partner('crm');
  const installed = await http.post(acme.integrations).set(auth(owner)).send({ partner: crm.email, scopes: ['organization:read', 'member:read'], config: { environment: 'production' } });
  expect(installed.status).toBe(201);

  const listed = await http.get('/api/organizations').set(auth(owner));
  ownerOrganizations = listed.body['hydra:member'].map((o: { id: string }) => o.id).sort();
}

beforeAll(async () => {
  source = await openDatabase({ url: sourceUrl });
  await fillSource(source.database);
  target = await freshPostgresDatabase(PG_SERVER);
});

afterAll(async () => {
  await source.database.close();
  await target.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Copying an embedded database to PostgreSQL (npm run db:copy)', () => {
  it('When the tables are put in copy order, then each comes after every table its foreign keys name, and every table of the schema is there', async () => {
    const order = dataTables();
    for (const metadata of source.dataSource.entityMetadatas) {
      for (const key of metadata.foreignKeys) expect(order.indexOf(key.referencedEntityMetadata.tableName)).toBeLessThan(order.indexOf(metadata.tableName));
    }
    const tables = await source.database.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'migrations'");
    expect([...order].sort()).toEqual(tables.map((t) => t.name).sort());
  });

  it('When an SQLite database is copied into an empty PostgreSQL one, then every row is there and the tokens still authenticate', async () => {
    const res = await dbCopy('--from', sourceUrl, '--to', target.url);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const sourceCounts = await counts(source.database);
    expect(sourceCounts).toMatchObject({ partner: 6, api_token: 8, organization: 3, membership: 7, invitation: 3, integration: 1 });
    expect(sourceCounts.audit_event).toBeGreaterThan(0);
    expect(JSON.parse(lines[0])).toEqual({ copied: sourceCounts });

    const copied = await openDatabase({ url: target.url });
    try {
      const before = await everyRow(source.database);
      expect(await everyRow(copied.database)).toEqual(before);
      expect(before.api_token.filter((t) => t.revoked_at !== null && t.expires_at === null)).toHaveLength(1);
      expect(before.api_token.filter((t) => t.expires_at !== null)).toHaveLength(1);
      expect(new Set(before.organization.map((o) => o.is_personal))).toEqual(new Set([true, false]));
      expect(before.invitation.filter((i) => i.accepted_at === null && i.revoked_at === null)).toHaveLength(1);

      const http = request(buildApp({ db: copied.database, logger: pino({ level: 'silent' }) }));
      const listed = await http.get('/api/organizations').set('Authorization', `Bearer ${owner.token}`);
      expect(listed.status).toBe(200);
      expect(listed.body['hydra:member'].map((o: { id: string }) => o.id).sort()).toEqual(ownerOrganizations);
      expect((await http.get('/api/organizations').set('Authorization', `Bearer ${revokedToken}`)).status).toBe(401);
    } finally {
      await copied.database.close();
    }
  });

  it('When the target already has rows, then the copy is refused naming the tables, and the target is unchanged', async () => {
    const copied = await openDatabase({ url: target.url });
    try {
      const before = await counts(copied.database);
      const res = await dbCopy('--from', sourceUrl, '--to', target.url);
      expect(res.code).toBe(1);
      expect(res.stdout).toBe('');
      const error = JSON.parse(res.stderr);
      const occupied = dataTables().filter((table) => before[table] > 0);
      expect(occupied).toEqual(expect.arrayContaining(['partner', 'api_token', 'organization', 'membership', 'invitation', 'audit_event', 'integration']));
      expect(error.error).toContain(`not empty: ${occupied.map((table) => `${table} (${before[table]})`).join(', ')}.`);
      expect(error.tables).toEqual(Object.fromEntries(Object.entries(before).filter(([, n]) => n > 0)));
      expect(await counts(copied.database)).toEqual(before);
    } finally {
      await copied.database.close();
    }
  });

  it('When a URL is not a database URL or is missing, then a JSON usage error and exit code 2, without echoing the URL', async () => {
    const bad = await dbCopy('--from', 'mysql://root:s3cret@db/orgs', '--to', target.url);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stderr).error).toBe('--from must be sqlite:PATH or postgres://user@host:port/db.');
    expect(bad.stderr).not.toContain('s3cret');

    const missing = await dbCopy('--from', sourceUrl);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stderr).error).toContain('--to');

    const absent = await dbCopy('--from', `sqlite:${path.join(dir, 'absent.sqlite')}`, '--to', target.url);
    expect(absent.code).toBe(2);
    expect(JSON.parse(absent.stderr).error).toContain('no SQLite database');
  });

  it('When the PostgreSQL copy is copied back to SQLite in small batches, then the rows are those of the original', async () => {
    const copied = await openDatabase({ url: target.url });
    const back = await openDatabase({ url: `sqlite:${path.join(dir, 'back.sqlite')}` });
    try {
      expect(await copyDatabase(copied, back, 2)).toEqual(await counts(source.database));
      expect(await everyRow(back.database)).toEqual(await everyRow(source.database));
    } finally {
      await back.database.close();
      await copied.database.close();
    }
  });
});
