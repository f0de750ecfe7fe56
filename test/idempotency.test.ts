import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApi, type Api } from './support/harness.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

type Caller = Awaited<ReturnType<Api['partner']>>;
const total = async (who: Caller) => (await api.http().get('/api/organizations').set(who.auth)).body['hydra:totalItems'];
const create = (who: Caller, key: string, body: object) => api.http().post('/api/organizations').set(who.auth).set('Idempotency-Key', key).send(body);

describe('Idempotency-Key on POST', () => {
  it('When a create is retried with the same key and body, then the first answer comes back and only one organization exists', async () => {
    const partner = await api.partner();
    const first = await create(partner, 'retry-1', { name: 'Once Only' });
    expect(first.status).toBe(201);
    const retry = await create(partner, 'retry-1', { name: 'Once Only' });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.location).toBe(first.headers.location);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await total(partner)).toBe(1);
  });

  it('When the same key and body arrive at once, then the work is done once and every answer is the same', async () => {
    const partner = await api.partner();
    const answers = await Promise.all(Array.from({ length: 6 }, () => create(partner, 'burst', { name: 'Burst' })));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await total(partner)).toBe(1);
  });

  it('When the same key comes with a different body, then 422 and nothing is created', async () => {
    const partner = await api.partner();
    await create(partner, 'reused', { name: 'First Body' });
    const res = await create(partner, 'reused', { name: 'Second Body' });
    expect(res.status).toBe(422);
    expect(res.body.type).toMatch(/\/api\/errors\/idempotency-key-reused$/);
    expect(await total(partner)).toBe(1);
  });

  it('When another partner uses the same key, then it is a different key: keys are per credential', async () => {
    const [a, b] = [await api.partner(), await api.partner()];
    expect((await create(a, 'shared-key', { name: 'A' })).status).toBe(201);
    const res = await create(b, 'shared-key', { name: 'B' });
    expect(res.status).toBe(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
  });

  it('When the body is refused by validation, then a retry is refused the same way, and the key stays free for a corrected body', async () => {
    const partner = await api.partner();
    const first = await create(partner, 'invalid', { name: '' });
    expect(first.status).toBe(422);
    const retry = await create(partner, 'invalid', { name: '' });
    expect(retry.status).toBe(422);
    expect(retry.body.violations).toEqual(first.body.violations);
    // No work ran, so no answer was stored: the key is not spent (as Stripe does).
    const corrected = await create(partner, 'invalid', { name: 'Corrected' });
    expect(corrected.status).toBe(201);
    expect(await total(partner)).toBe(1);
  });

  it('When the work refused the request (409 slug taken), then a retry gets that same answer, replayed, even once the slug is free', async () => {
    const partner = await api.partner();
    const holder = await api.http().post('/api/organizations').set(partner.auth).send({ name: 'Holder', slug: 'replayed-refusal' });
    expect(holder.status).toBe(201);
    const first = await create(partner, 'refused-by-work', { name: 'Wants The Slug', slug: 'replayed-refusal' });
    expect(first.status).toBe(409);
    expect(first.body.type).toMatch(/\/api\/errors\/slug-taken$/);
    expect((await api.http().delete(holder.body['@id']).set(partner.auth)).status).toBe(204);
    const retry = await create(partner, 'refused-by-work', { name: 'Wants The Slug', slug: 'replayed-refusal' });
    expect(retry.status).toBe(409);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await total(partner)).toBe(0);
  });

  it('When body-less POSTs (accepting an invitation) are retried with a key, then the second gets the first answer, not a 409', async () => {
    const owner = await api.partner();
    const invitee = await api.partner();
    const org = (await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Accept Twice' })).body;
    const invitation = (await api.http().post(org.invitations).set(owner.auth).send({ email: invitee.email, role: 'member' })).body;
    const accept = () => api.http().post(invitation.accept).set(invitee.auth).set('Idempotency-Key', 'accept-1');
    const first = await accept();
    const retry = await accept();
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
  });

  it('When the accept or revoke POST of an invitation (no body) gets a malformed key, or a key used for another request, then 400 and 422, as its documentation says it may', async () => {
    const owner = await api.partner();
    const invitee = await api.partner();
    const org = (await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Documented Refusals' })).body;
    const invite = async (email: string) => (await api.http().post(org.invitations).set(owner.auth).send({ email, role: 'member' })).body;
    const [one, two] = [await invite(invitee.email), await invite('someone.else@example.com')];
    expect((await api.http().post(one.accept).set(invitee.auth).set('Idempotency-Key', 'x'.repeat(256))).status).toBe(400);
    expect((await api.http().post(one.revoke).set(owner.auth).set('Idempotency-Key', 'used-once')).status).toBe(200);
    const reused = await api.http().post(two.revoke).set(owner.auth).set('Idempotency-Key', 'used-once');
    expect(reused.status).toBe(422);
    expect(reused.body.type).toMatch(/\/api\/errors\/idempotency-key-reused$/);
    const paths = (await api.http().get('/api/docs.json')).body.paths as Record<string, { post?: { responses: Record<string, unknown> } }>;
    for (const action of ['/accept', '/revoke']) {
      const [, operations] = Object.entries(paths).find(([path]) => path.endsWith(action))!;
      expect(Object.keys(operations.post!.responses)).toEqual(expect.arrayContaining(['400', '409', '422']));
    }
  });

  it('When the key is not visible ASCII or too long, then 400', async () => {
    const partner = await api.partner();
    expect((await create(partner, 'x'.repeat(256), { name: 'Long Key' })).status).toBe(400);
    expect(await total(partner)).toBe(0);
  });

  it('When an earlier version left a key without an answer (its request died), then the key does not block: the request is carried out', async () => {
    const partner = await api.partner();
    // The row the earlier version committed when it claimed the key, for this very request (method, path, compact body).
    const requestHash = createHash('sha256').update(`POST /api/organizations\n${JSON.stringify({ name: 'After The Upgrade' })}`).digest('hex');
    await api.db.transaction((tx) =>
      tx.run('INSERT INTO idempotency_key (id, partner_id, request_key, request_hash, created_at) VALUES (?, ?, ?, ?, ?)', [randomUUID(), partner.id, 'left-in-flight', requestHash, new Date().toISOString()]),
    );
    const started = Date.now();
    const res = await create(partner, 'left-in-flight', { name: 'After The Upgrade' });
    expect(res.status).toBe(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await create(partner, 'left-in-flight', { name: 'After The Upgrade' })).headers['idempotent-replayed']).toBe('true');
    expect(await total(partner)).toBe(1);
  });

  it.each([
    ['metadata', (depth: number) => `{"name":"Deep","metadata":${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}}`],
    ['an array', (depth: number) => `{"name":"Deep","ip_allowlist":${'['.repeat(depth)}${']'.repeat(depth)}}`],
  ])('When %s nests 150,000 levels deep and the request has a key, then a 4xx problem, not a 500', async (_what, body) => {
    const partner = await api.partner();
    const res = await api.http().post('/api/organizations').set(partner.auth).set('Idempotency-Key', 'deep').set('Content-Type', 'application/json').send(body(150_000));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await total(partner)).toBe(0);
  });

  it('When an answer is replayed, then its headers have the names the first answer sent (Location, ETag, Content-Type), not lower-cased ones', async () => {
    const partner = await api.partner();
    const names = async () => headerNames(await rawPost('/api/organizations', { ...partner.auth, 'Idempotency-Key': 'header-case', 'Content-Type': 'application/json' }, { name: 'Header Case' }));
    const first = await names();
    const replayed = await names();
    expect(first).toEqual(expect.arrayContaining(['Location', 'ETag', 'Content-Type']));
    expect(replayed).toEqual(expect.arrayContaining(['Location', 'ETag', 'Content-Type', 'Idempotent-Replayed']));
    const stored = (names: string[]) => names.filter((name) => ['location', 'etag', 'content-type', 'link'].includes(name.toLowerCase())).sort();
    expect(stored(replayed)).toEqual(stored(first));
  });

  it('When a keyed POST asked for plain JSON, then the replay carries the same Link headers (the context link the answer added, too)', async () => {
    const partner = await api.partner();
    const post = () => create(partner, 'plain-json', { name: 'Plain Json' }).set('Accept', 'application/json');
    const first = await post();
    const replayed = await post();
    expect(first.status).toBe(201);
    expect(first.headers.link).toContain('json-ld#context');
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.headers.link).toBe(first.headers.link);
    expect(replayed.headers['content-type']).toBe(first.headers['content-type']);
    expect(replayed.body).toEqual(first.body);
  });
});

/** Answers and rawHeaders as they came over the wire (supertest lower-cases header names). */
function rawPost(path: string, headers: Record<string, string>, body: object): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${api.base}${path}`, { method: 'POST', headers, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const headerNames = (res: http.IncomingMessage) => res.rawHeaders.filter((_, i) => i % 2 === 0);

/** A fault the database itself raises (a trigger), for one statement the test names; `remove` takes it away. */
async function injectFault(name: string, table: string, when: string, timing: 'BEFORE INSERT' | 'BEFORE UPDATE' | 'AT COMMIT') {
  const query = (sql: string) => api.dataSource.query(sql);
  if (api.db.engine === 'sqlite') {
    await query(`CREATE TRIGGER ${name} ${timing} ON ${table} WHEN ${when} BEGIN SELECT RAISE(ABORT, 'injected fault'); END`);
  } else {
    await query(`CREATE OR REPLACE FUNCTION injected_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$`);
    const trigger = timing === 'AT COMMIT' ? `CONSTRAINT TRIGGER ${name} AFTER INSERT ON ${table} DEFERRABLE INITIALLY DEFERRED` : `TRIGGER ${name} ${timing} ON ${table}`;
    await query(`CREATE ${trigger} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION injected_fault()`);
  }
  return { remove: () => query(api.db.engine === 'sqlite' ? `DROP TRIGGER ${name}` : `DROP TRIGGER ${name} ON ${table}`) };
}

describe('Idempotency-Key when the work or its commit fails', () => {
  it('When the work fails on our side (5xx), then everything it did is rolled back and the key is free: a retry does the work', async () => {
    const partner = await api.partner();
    const fault = await injectFault('fails_inside', 'organization', "NEW.name = 'Fails Inside'", 'BEFORE INSERT');
    let first;
    try {
      first = await create(partner, 'fails-inside', { name: 'Fails Inside' });
    } finally {
      await fault.remove();
    }
    expect(first.status).toBe(500);
    const retry = await create(partner, 'fails-inside', { name: 'Fails Inside' });
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await total(partner)).toBe(1);
  });

  it('When the answer cannot be stored with the work, then 503 (never the 201), nothing was created, and a retry does the work', async () => {
    const partner = await api.partner();
    const fault = await injectFault('answer_not_stored', 'idempotency_key', "NEW.request_key = 'store-fails' AND NEW.status IS NOT NULL", 'BEFORE UPDATE');
    let first;
    try {
      first = await create(partner, 'store-fails', { name: 'Store Fails' });
    } finally {
      await fault.remove();
    }
    expect(first.status).toBe(503);
    expect(first.body.type).toMatch(/\/api\/errors\/service-unavailable$/);
    expect(first.headers['retry-after']).toBeDefined();
    expect(first.headers.location).toBeUndefined();
    expect(String(first.headers.etag ?? '')).not.toMatch(/^"/); // not the organization's strong ETag (Express tags the problem W/)
    expect(await total(partner)).toBe(0);
    const retry = await create(partner, 'store-fails', { name: 'Store Fails' });
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await total(partner)).toBe(1);
  });

  const onPostgres = process.env.DATABASE_URL?.startsWith('postgres') ? it : it.skip;
  onPostgres('When the COMMIT itself fails (PostgreSQL), then 503 (never the 201), nothing was created, and a retry does the work', async () => {
    const partner = await api.partner();
    const fault = await injectFault('fails_at_commit', 'organization', "NEW.name = 'Fails At Commit'", 'AT COMMIT');
    let first;
    try {
      first = await create(partner, 'commit-fails', { name: 'Fails At Commit' });
    } finally {
      await fault.remove();
    }
    expect(first.status).toBe(503);
    expect(first.headers.location).toBeUndefined();
    expect(await total(partner)).toBe(0);
    const retry = await create(partner, 'commit-fails', { name: 'Fails At Commit' });
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await total(partner)).toBe(1);
  });
});
