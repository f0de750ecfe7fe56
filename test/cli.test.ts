import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApi, type Api } from './support/harness.js';
import { cli } from './support/processes.js';

let api: Api;
let url: string;
beforeAll(async () => {
  api = await startApi();
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
    expect(Object.keys(partner).sort()).toEqual(['email', 'id', 'name', 'token']);
    expect(partner).toMatchObject({ email: 'Ops@partner.example', name: 'Partner Ops' });
    expect(partner.token).toMatch(/^lo_[A-Za-z0-9_-]{43}$/);

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
    // The server caches token lookups for at most a second (TOKEN_CACHE_MS).
    const deadline = Date.now() + 1_200;
    let after = await api.http().get('/api/organizations').set('X-API-Key', token.token);
    while (after.status !== 401 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await api.http().get('/api/organizations').set('X-API-Key', token.token);
    }
    expect(after.status).toBe(401);
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
});
