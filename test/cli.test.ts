import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApi, type Api } from './support/harness.js';
import { cli } from './support/processes.js';

/** Requests with `token` until one is 401, for a little longer than the server caches tokens (TOKEN_CACHE_MS, 1 s). */
async function statusOnceRevoked(token: string): Promise<number> {
  const deadline = Date.now() + 1_200;
  let status = (await api.http().get('/api/organizations').set('X-API-Key', token)).status;
  while (status !== 401 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    status = (await api.http().get('/api/organizations').set('X-API-Key', token)).status;
  }
  return status;
}

const json = (stdout: string) => JSON.parse(stdout);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let api: Api;
let url: string;
beforeAll(async () => {
  // Behind a proxy on loopback: X-Forwarded-For says where a request comes from.
  api = await startApi({ trustProxy: 'loopback' });
  url = api.url;
});
afterAll(() => api.close());

describe('The linked-orgs CLI', () => {
  it('When a partner is created, then one JSON line with its token, which authenticates, and only its hash is stored', async () => {
    const { code, stdout } = await cli(url, 'partner', 'create', '--email', 'Ops@Partner.EXAMPLE', '--name', 'Partner Ops');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const partner = JSON.parse(lines[0]);
    expect(Object.keys(partner).sort()).toEqual(['database', 'email', 'id', 'name', 'token', 'token_id']);
    expect(partner).toMatchObject({ email: 'Ops@partner.example', name: 'Partner Ops', database: url });
    expect(partner.token).toMatch(/^lo_[A-Za-z0-9_-]{43}$/);
    expect(partner.token_id).toMatch(/^[0-9a-f-]{36}$/);

    expect((await api.http().get('/api/organizations').set('Authorization', `Bearer ${partner.token}`)).status).toBe(200);
    const stored = await api.db.all<Record<string, string>>('SELECT * FROM api_token');
    expect(JSON.stringify(stored)).not.toContain(partner.token);
    expect(stored.some((row) => /^[0-9a-f]{64}$/.test(row.token_hash))).toBe(true);
  });

  it('When the same email (in another case) is used again, then the CLI refuses and exits non-zero', async () => {
    await cli(url, 'partner', 'create', '--email', 'twice@partner.example', '--name', 'Once');
    const again = await cli(url, 'partner', 'create', '--email', 'TWICE@partner.example', '--name', 'Twice');
    expect(again.code).not.toBe(0);
    expect(JSON.parse(again.stderr).error).toContain('already exists');
  });

  it('When a token is issued and then revoked by the CLI, then it works until the revocation and is 401 within a second after it', async () => {
    const partner = JSON.parse((await cli(url, 'partner', 'create', '--email', 'tokens@partner.example', '--name', 'Tokens')).stdout);
    const issued = await cli(url, 'token', 'create', '--email', 'tokens@partner.example');
    expect(issued.code).toBe(0);
    const token = JSON.parse(issued.stdout);
    expect(token.token).not.toBe(partner.token);
    expect((await api.http().get('/api/organizations').set('X-API-Key', token.token)).status).toBe(200);

    const revoked = await cli(url, 'token', 'revoke', token.id);
    expect(revoked.code).toBe(0);
    expect(await statusOnceRevoked(token.token)).toBe(401);
    expect((await api.http().get('/api/organizations').set('Authorization', `Bearer ${partner.token}`)).status).toBe(200);
  });

  it('When a token is issued for an unknown email, or an unknown token is revoked, then the CLI says so and exits non-zero', async () => {
    const unknown = await cli(url, 'token', 'create', '--email', 'nobody@partner.example');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('nobody@partner.example');
    const revoke = await cli(url, 'token', 'revoke', 'not-a-token-id');
    expect(revoke.code).not.toBe(0);
  });

  it('When the email is not an email, then nothing is created', async () => {
    const res = await cli(url, 'partner', 'create', '--email', 'not-an-email', '--name', 'Bad');
    expect(res.code).not.toBe(0);
    expect(await api.db.get('SELECT id FROM partner WHERE email = ?', ['not-an-email'])).toBeUndefined();
  });

  it("When an organization's ip_allowlist shuts its owner out, then `organization clear-ip-allowlist` empties it, and the audit trail names the operator", async () => {
    const owner = await api.partner();
    const office = { 'X-Forwarded-For': '203.0.113.7' };
    const moved = { 'X-Forwarded-For': '198.51.100.20' }; // the office's new address, outside the list
    const org = (await api.http().post('/api/organizations').set(owner.auth).set(office).send({ name: 'Locked Out', ip_allowlist: ['203.0.113.0/24'] })).body;
    expect((await api.http().get(org['@id']).set(owner.auth).set(moved)).status).toBe(403);

    const res = await cli(url, 'organization', 'clear-ip-allowlist', org.id, '--operator', 'Ops Alice');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ id: org.id, cleared: ['203.0.113.0/24'] });
    const read = await api.http().get(org['@id']).set(owner.auth).set(moved);
    expect(read.status).toBe(200);
    expect(read.body.ip_allowlist).toEqual([]);
    const trail = async () => (await api.http().get(`${org.audit_events}?action=organization.updated`).set(owner.auth).set(moved)).body;
    const [event] = (await trail())['hydra:member'];
    expect(event).toMatchObject({ action: 'organization.updated', operator: 'Ops Alice', before: { ip_allowlist: ['203.0.113.0/24'] }, after: { ip_allowlist: [] } });
    expect(event).not.toHaveProperty('actor');

    const again = await cli(url, 'organization', 'clear-ip-allowlist', org.id, '--operator', 'Ops Alice');
    expect(JSON.parse(again.stdout)).toMatchObject({ id: org.id, cleared: [] });
    expect((await trail())['hydra:totalItems']).toBe(1);
  });

  it('When clear-ip-allowlist names no organization, or no operator, then it says so, exits non-zero and changes nothing', async () => {
    const unknown = await cli(url, 'organization', 'clear-ip-allowlist', '00000000-0000-4000-8000-000000000000', '--operator', 'Ops Alice');
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stderr).error).toContain('00000000-0000-4000-8000-000000000000');
    const owner = await api.partner();
    const org = (await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Kept', ip_allowlist: ['127.0.0.0/8'] })).body;
    const anonymous = await cli(url, 'organization', 'clear-ip-allowlist', org.id);
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.stderr).toContain('--operator');
    const blank = await cli(url, 'organization', 'clear-ip-allowlist', org.id, '--operator', '  ');
    expect(blank.code).toBe(2);
    expect((await api.http().get(org['@id']).set(owner.auth)).body.ip_allowlist).toEqual(['127.0.0.0/8']);
  });

  it('When a partner is created, then the token id it prints is its first token, which token list shows and token revoke revokes', async () => {
    const partner = json((await cli(url, 'partner', 'create', '--email', 'first@partner.example', '--name', 'First')).stdout);
    const listed = json((await cli(url, 'token', 'list', '--email', 'first@partner.example')).stdout);
    expect(listed.tokens.map((t: { id: string }) => t.id)).toEqual([partner.token_id]);

    expect((await cli(url, 'token', 'revoke', partner.token_id)).code).toBe(0);
    expect(await statusOnceRevoked(partner.token)).toBe(401);
    const after = json((await cli(url, 'token', 'list', '--email', 'first@partner.example')).stdout);
    expect(after.tokens[0].revoked_at).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
  });
});

describe('token list', () => {
  it('When a partner\'s tokens are listed, then one JSON line gives each one\'s id, scopes, creation, expiry, revocation and last use, and never a secret or a hash', async () => {
    const partner = json((await cli(url, 'partner', 'create', '--email', 'Listed@Partner.example', '--name', 'Listed')).stdout);
    const reader = json((await cli(url, 'token', 'create', '--email', 'listed@partner.example', '--scopes', 'organization:read,member:read', '--expires-in', '30')).stdout);
    const revoked = json((await cli(url, 'token', 'create', '--email', 'listed@partner.example')).stdout);
    await cli(url, 'token', 'revoke', revoked.id);

    const { code, stdout } = await cli(url, 'token', 'list', '--email', 'LISTED@partner.example');

    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const listed = json(stdout);
    expect(listed.partner).toEqual({ id: partner.id, email: 'Listed@partner.example', name: 'Listed' });
    expect(listed.database).toBe(url);
    expect(listed.tokens.map((t: { id: string }) => t.id)).toEqual([partner.token_id, reader.id, revoked.id]);
    for (const token of listed.tokens) expect(Object.keys(token).sort()).toEqual(['created_at', 'expires_at', 'id', 'last_used_at', 'revoked_at', 'scopes']);
    const [first, second, third] = listed.tokens;
    expect(first).toMatchObject({ expires_at: null, revoked_at: null, last_used_at: null, scopes: ['organization:read', 'organization:write', 'member:read', 'member:write', 'invitation:read', 'invitation:write'] });
    expect(second).toMatchObject({ scopes: ['organization:read', 'member:read'], expires_at: reader.expires_at, revoked_at: null });
    expect(Date.parse(second.expires_at) - Date.parse(second.created_at)).toBeGreaterThan(29.9 * 86_400_000);
    expect(third.revoked_at).not.toBeNull();
    const hashes = await api.db.all<{ token_hash: string }>('SELECT token_hash FROM api_token');
    for (const secret of [partner.token, reader.token, revoked.token, ...hashes.map((h) => h.token_hash)]) expect(stdout).not.toContain(secret);
    expect(stdout).not.toContain('lo_');
  });

  it('When a token authenticates requests, then token list shows its last use, which later requests within the minute do not rewrite', async () => {
    const partner = json((await cli(url, 'partner', 'create', '--email', 'used@partner.example', '--name', 'Used')).stdout);
    const lastUse = async () => json((await cli(url, 'token', 'list', '--email', 'used@partner.example')).stdout).tokens[0].last_used_at as string | null;
    expect(await lastUse()).toBeNull();

    const before = Date.now();
    expect((await api.http().get('/api/organizations').set('Authorization', `Bearer ${partner.token}`)).status).toBe(200);
    let used = await lastUse();
    for (let attempt = 0; used === null && attempt < 20; attempt++) {
      await sleep(100); // written after the answer, not before it
      used = await lastUse();
    }
    expect(Date.parse(used!)).toBeGreaterThanOrEqual(before - 5);
    expect(Date.parse(used!)).toBeLessThanOrEqual(Date.now());

    // Past the token cache's second, the next request reads the token from the database again.
    await sleep(1_100);
    expect((await api.http().get('/api/organizations').set('Authorization', `Bearer ${partner.token}`)).status).toBe(200);
    await sleep(300);
    expect(await lastUse()).toBe(used);
  });

  it('When the email is unknown, then token list exits with 2 and a JSON error naming the email and the database', async () => {
    const { code, stdout, stderr } = await cli(url, 'token', 'list', '--email', 'stranger@partner.example');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(JSON.parse(stderr)).toEqual({ error: 'No partner has the email stranger@partner.example.', database: url });
  });
});
