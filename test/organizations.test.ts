import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApi, type Api } from './support/harness.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const MERGE_PATCH = 'application/merge-patch+json';

async function create(auth: Record<string, string>, body: object) {
  const res = await api.http().post('/api/organizations').set(auth).send(body);
  expect(res.status).toBe(201);
  return res.body;
}

describe('Creating an organization', () => {
  it('When a partner posts a name, then 201 with Location, and the partner is its sole owner', async () => {
    const partner = await api.partner('Acme Integrations');
    const res = await api.http().post('/api/organizations').set(partner.auth).send({ name: '  Acme Corp  ' });
    expect(res.status).toBe(201);
    expect(res.type).toBe('application/ld+json');
    expect(res.body['@context']).toBe('/api/contexts/Organization');
    expect(res.body['@type']).toBe('Organization');
    expect(res.body['@id']).toBe(`/api/organizations/${res.body.id}`);
    expect(res.headers.location).toBe(`${api.base}/api/organizations/${res.body.id}`);
    expect(res.body.name).toBe('Acme Corp');
    expect(res.body.owners).toHaveLength(1);
    expect(res.body.owners[0]).toMatchObject({ '@type': 'Member', email: partner.email, name: 'Acme Integrations', role: 'owner' });
    expect(res.body.owners[0]['@id']).toBe(`${res.body['@id']}/members/${res.body.owners[0].id}`);
    expect(res.body.members).toEqual(res.body.owners);
    expect(res.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(res.body.updated_at).toBe(res.body.created_at);
  });

  it('When only a name is sent, then the settings take their defaults', async () => {
    const partner = await api.partner();
    const body = await create(partner.auth, { name: 'Defaults Inc' });
    expect(body).toMatchObject({ metadata: {}, invites_enabled: true, members_can_invite: false, ip_allowlist: [], auto_join_domains: [] });
    expect(body).not.toHaveProperty('billing_email');
  });

  it('When every setting is sent, as application/json, then each is stored and returned', async () => {
    const partner = await api.partner();
    const settings = {
      name: 'Full Settings',
      slug: 'full-settings',
      metadata: { crm_id: 'C-42', region: 'eu' },
      billing_email: 'billing@full.example',
      security_contact: 'security@full.example',
      language: 'fr-CA',
      invites_enabled: false,
      members_can_invite: true,
      ip_allowlist: ['10.0.0.0/8', '2001:db8::/32', '127.0.0.0/8'],
      auto_join_domains: ['full.example'],
    };
    const res = await api.http().post('/api/organizations').set(partner.auth).set('Content-Type', 'application/json').send(JSON.stringify(settings));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject(settings);
    const read = await api.http().get(res.body['@id']).set(partner.auth);
    expect(read.body).toMatchObject(settings);
  });

  it('When the body carries our own context and type, as application/ld+json, then it is read as is', async () => {
    const partner = await api.partner();
    const res = await api
      .http()
      .post('/api/organizations')
      .set(partner.auth)
      .set('Content-Type', 'application/ld+json')
      .send(JSON.stringify({ '@context': '/api/contexts/Organization', '@type': 'Organization', name: 'Linked Data Co' }));
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('Linked Data Co');
  });

  it('When no slug is given, then one is generated from the name, with a number when taken', async () => {
    const partner = await api.partner();
    const first = await create(partner.auth, { name: 'Café Münster & Co.' });
    const second = await create(partner.auth, { name: 'cafe munster co' });
    const symbols = await create(partner.auth, { name: '株式会社' });
    expect(first.slug).toBe('cafe-munster-co');
    expect(second.slug).toBe('cafe-munster-co-2');
    expect(symbols.slug).toMatch(/^org(-\d+)?$/);
  });

  it('When a slug is already taken, then 409 and nothing is created', async () => {
    const partner = await api.partner();
    await create(partner.auth, { name: 'Taken', slug: 'taken-slug' });
    const before = (await api.http().get('/api/organizations').set(partner.auth)).body['hydra:totalItems'];
    const res = await api.http().post('/api/organizations').set(partner.auth).send({ name: 'Other', slug: 'taken-slug' });
    expect(res.status).toBe(409);
    expect(res.type).toBe('application/problem+json');
    expect(res.body.detail).toContain('taken-slug');
    expect((await api.http().get('/api/organizations').set(partner.auth)).body['hydra:totalItems']).toBe(before);
  });
});

describe('Reading, renaming and deleting', () => {
  it('When the owner renames with a merge patch, then the name and updated_at change and the rest stays', async () => {
    const partner = await api.partner();
    const org = await create(partner.auth, { name: 'Old Name', metadata: { a: '1', b: '2' }, billing_email: 'b@old.example' });
    await new Promise((r) => setTimeout(r, 5));
    const res = await api.http().patch(org['@id']).set(partner.auth).set('Content-Type', MERGE_PATCH).send(JSON.stringify({ name: 'New Name', metadata: { a: null, c: '3' }, billing_email: null }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: org.id, name: 'New Name', slug: org.slug, metadata: { b: '2', c: '3' }, created_at: org.created_at });
    expect(res.body).not.toHaveProperty('billing_email');
    expect(res.body.updated_at > org.updated_at).toBe(true);
    expect((await api.http().get(org['@id']).set(partner.auth)).body.name).toBe('New Name');
  });

  it('When a merge patch would push metadata past 25 keys, then 422 and nothing changes', async () => {
    const partner = await api.partner();
    const metadata = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`k${i}`, 'v']));
    const org = await create(partner.auth, { name: 'Full Map', metadata });
    const res = await api.http().patch(org['@id']).set(partner.auth).set('Content-Type', MERGE_PATCH).send(JSON.stringify({ name: 'Changed', metadata: { extra: 'x' } }));
    expect(res.status).toBe(422);
    expect(res.body.violations).toEqual([expect.objectContaining({ propertyPath: 'metadata', code: 'too_many_entries' })]);
    expect((await api.http().get(org['@id']).set(partner.auth)).body.name).toBe('Full Map');
  });

  it('When a merge patch sets name to null, then 422: the name cannot be removed', async () => {
    const partner = await api.partner();
    const org = await create(partner.auth, { name: 'Keep Me' });
    const res = await api.http().patch(org['@id']).set(partner.auth).set('Content-Type', MERGE_PATCH).send('{"name": null}');
    expect(res.status).toBe(422);
    expect(res.body.violations[0].propertyPath).toBe('name');
  });

  it('When a merge patch takes a slug another organization has, then 409', async () => {
    const partner = await api.partner();
    await create(partner.auth, { name: 'Slug Holder', slug: 'held-slug' });
    const org = await create(partner.auth, { name: 'Slug Wanter' });
    const res = await api.http().patch(org['@id']).set(partner.auth).set('Content-Type', MERGE_PATCH).send('{"slug": "held-slug"}');
    expect(res.status).toBe(409);
  });

  it('When the owner deletes, then 204, and afterwards 404', async () => {
    const partner = await api.partner();
    const org = await create(partner.auth, { name: 'Short Lived' });
    expect((await api.http().delete(org['@id']).set(partner.auth)).status).toBe(204);
    expect((await api.http().get(org['@id']).set(partner.auth)).status).toBe(404);
    expect((await api.http().delete(org['@id']).set(partner.auth)).status).toBe(404);
  });

  it('When another partner asks for, patches or deletes an organization, then 404 and it stays as it was', async () => {
    const owner = await api.partner();
    const stranger = await api.partner();
    const org = await create(owner.auth, { name: 'Private' });
    expect((await api.http().get(org['@id']).set(stranger.auth)).status).toBe(404);
    expect((await api.http().patch(org['@id']).set(stranger.auth).set('Content-Type', MERGE_PATCH).send('{"name":"Hijacked"}')).status).toBe(404);
    expect((await api.http().delete(org['@id']).set(stranger.auth)).status).toBe(404);
    expect((await api.http().get(org['@id']).set(owner.auth)).body.name).toBe('Private');
  });
});

describe('Listing organizations', () => {
  it('When a partner lists, then it sees only its own organizations, as a paginated hydra:Collection', async () => {
    const partner = await api.partner();
    const other = await api.partner();
    await create(other.auth, { name: 'Not Yours' });
    const names = Array.from({ length: 7 }, (_, i) => `Listed ${i}`);
    for (const name of names) await create(partner.auth, { name });

    const seen: string[] = [];
    let url: string | undefined = '/api/organizations?itemsPerPage=3';
    let pages = 0;
    while (url && pages < 10) {
      const res: { status: number; body: Record<string, any> } = await api.http().get(url).set(partner.auth);
      expect(res.status).toBe(200);
      expect(res.body['@type']).toBe('hydra:Collection');
      expect(res.body['@id']).toBe('/api/organizations');
      expect(res.body['hydra:totalItems']).toBe(7);
      expect(res.body['hydra:view']['@id']).toBe(url);
      expect(res.body['hydra:view']['@type']).toBe('hydra:PartialCollectionView');
      expect(res.body['hydra:view']['hydra:first']).toBe('/api/organizations?itemsPerPage=3&page=1');
      expect(res.body['hydra:view']['hydra:last']).toBe('/api/organizations?itemsPerPage=3&page=3');
      seen.push(...res.body['hydra:member'].map((o: { name: string }) => o.name));
      url = res.body['hydra:view']['hydra:next'];
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(names);
  });

  it('When a middle page is asked for, then previous and next (cursors) lead to the pages around it', async () => {
    const partner = await api.partner();
    for (let i = 0; i < 5; i++) await create(partner.auth, { name: `Paged ${i}` });
    const names = async (url: string) => (await api.http().get(url).set(partner.auth)).body['hydra:member'].map((o: { name: string }) => o.name);
    const res = await api.http().get('/api/organizations?page=2&itemsPerPage=2').set(partner.auth);
    expect(res.body['hydra:member'].map((o: { name: string }) => o.name)).toEqual(['Paged 2', 'Paged 3']);
    const { 'hydra:previous': previous, 'hydra:next': next } = res.body['hydra:view'];
    expect(previous).toMatch(/^\/api\/organizations\?itemsPerPage=2&before=[\w-]+$/);
    expect(next).toMatch(/^\/api\/organizations\?itemsPerPage=2&after=[\w-]+$/);
    expect(await names(previous)).toEqual(['Paged 0', 'Paged 1']);
    expect(await names(next)).toEqual(['Paged 4']);
    const backAgain = (await api.http().get(previous).set(partner.auth)).body['hydra:view'];
    expect(backAgain['hydra:previous']).toBeUndefined();
    expect(await names(backAgain['hydra:next'])).toEqual(['Paged 2', 'Paged 3']);
  });

  it('When the last page is asked for by number, then it holds what remains, read from the end', async () => {
    const partner = await api.partner();
    for (let i = 0; i < 7; i++) await create(partner.auth, { name: `Tail ${i}` });
    const res = await api.http().get('/api/organizations?page=3&itemsPerPage=3').set(partner.auth);
    expect(res.body['hydra:member'].map((o: { name: string }) => o.name)).toEqual(['Tail 6']);
    expect(res.body['hydra:view']['hydra:next']).toBeUndefined();
    const beyond = await api.http().get('/api/organizations?page=9&itemsPerPage=3').set(partner.auth);
    expect(beyond.body['hydra:member']).toEqual([]);
    expect(beyond.body['hydra:view']['hydra:previous']).toBe('/api/organizations?itemsPerPage=3&page=3');
  });

  it('When a cursor is not one the API gave out, or is combined with page, then 400', async () => {
    const partner = await api.partner();
    for (const query of ['after=garbage', 'before=WyJ4IiwieSJd', 'page=2&after=WyJ4IiwieSJd']) {
      const res = await api.http().get(`/api/organizations?${query}`).set(partner.auth);
      expect(res.status).toBe(400);
    }
    expect((await api.http().get('/api/organizations?name=x&after=WyJ4IiwieSJd').set(partner.auth)).status).toBe(400);
  });

  it('When itemsPerPage is above 100 (an export asks 1000), then pages of 100 whose links carry itemsPerPage=100', async () => {
    const partner = await api.partner();
    for (let i = 0; i < 101; i++) await create(partner.auth, { name: `Exported ${String(i).padStart(3, '0')}` });
    const first = await api.http().get('/api/organizations?itemsPerPage=1000').set(partner.auth);
    expect(first.status).toBe(200);
    expect(first.body['hydra:totalItems']).toBe(101);
    expect(first.body['hydra:member']).toHaveLength(100);
    expect(first.body['hydra:view']['@id']).toBe('/api/organizations?itemsPerPage=1000');
    expect(first.body['hydra:view']['hydra:first']).toBe('/api/organizations?itemsPerPage=100&page=1');
    expect(first.body['hydra:view']['hydra:last']).toBe('/api/organizations?itemsPerPage=100&page=2');
    const next = await api.http().get(first.body['hydra:view']['hydra:next']).set(partner.auth);
    expect(next.body['hydra:member'].map((o: { name: string }) => o.name)).toEqual(['Exported 100']);
    // As many as the documented maximum (nine digits) is read as 100; one digit more is outside the contract.
    const huge = await api.http().get(`/api/organizations?itemsPerPage=${'9'.repeat(9)}&page=2`).set(partner.auth);
    expect(huge.status).toBe(200);
    expect(huge.body['hydra:member']).toHaveLength(1);
    const beyond = await api.http().get(`/api/organizations?itemsPerPage=${'9'.repeat(10)}`).set(partner.auth);
    expect(beyond.status).toBe(400);
    expect(beyond.body.detail).toContain('from 1 to 999999999');
  });

  it('When page or itemsPerPage is not a valid number, then 400 naming the parameter', async () => {
    const partner = await api.partner();
    for (const query of ['page=0', 'page=abc', 'itemsPerPage=0', 'itemsPerPage=-1', 'itemsPerPage=1.5', 'itemsPerPage=ten']) {
      const res = await api.http().get(`/api/organizations?${query}`).set(partner.auth);
      expect(res.status).toBe(400);
      expect(res.body.detail).toContain(query.split('=')[0]);
    }
  });

  it('When a partner has no organization, then an empty collection with a first and last page', async () => {
    const partner = await api.partner();
    const res = await api.http().get('/api/organizations').set(partner.auth);
    expect(res.body['hydra:totalItems']).toBe(0);
    expect(res.body['hydra:member']).toEqual([]);
    expect(res.body['hydra:view']['hydra:last']).toBe('/api/organizations?page=1');
  });
});

describe('Slugs for common names', () => {
  it('When many organizations share a name, then after base-5 the slug gets a random suffix, still unique', async () => {
    const partner = await api.partner();
    const slugs: string[] = [];
    for (let i = 0; i < 8; i++) slugs.push((await create(partner.auth, { name: 'Common Name' })).slug);
    expect(slugs.slice(0, 5)).toEqual(['common-name', 'common-name-2', 'common-name-3', 'common-name-4', 'common-name-5']);
    for (const slug of slugs.slice(5)) expect(slug).toMatch(/^common-name-[0-9a-f]{8}$/);
    expect(new Set(slugs).size).toBe(8);
  });

  it('When 12 organizations with one new name are created at once, then all 12 are created, each with its own slug', async () => {
    const partner = await api.partner();
    const name = `Rush ${Date.now()}`;
    const answers = await Promise.all(Array.from({ length: 12 }, () => api.http().post('/api/organizations').set(partner.auth).send({ name })));
    expect(answers.map((res) => res.status)).toEqual(Array(12).fill(201));
    expect(new Set(answers.map((res) => res.body.slug)).size).toBe(12);
  });
});

describe('Many creations at once', () => {
  // On SQLite the writes that arrive together are committed together (group commit): a taken
  // slug must undo only its own request, and every 201 must have been made durable and readable.
  it('When 100 organizations are posted at once, five for each of 20 slugs, then each slug is created once (201) and the other four get 409, and every one created is readable', async () => {
    const partner = await api.partner();
    const before = (await api.http().get('/api/organizations').set(partner.auth)).body['hydra:totalItems'];
    const stamp = Date.now().toString(36);
    const slugs = Array.from({ length: 20 }, (_, i) => `burst-${stamp}-${i}`);
    const answers = await Promise.all(
      slugs.flatMap((slug) => Array.from({ length: 5 }, (_, copy) => api.http().post('/api/organizations').set(partner.auth).send({ name: `Burst ${copy}`, slug }))),
    );
    for (const slug of slugs) {
      const mine = answers.filter((res) => (res.status === 201 ? res.body.slug === slug : res.body.detail?.includes(`"${slug}"`)));
      expect(mine.map((res) => res.status).sort()).toEqual([201, 409, 409, 409, 409]);
    }
    for (const created of answers.filter((res) => res.status === 201)) {
      const read = await api.http().get(created.body['@id']).set(partner.auth);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ slug: created.body.slug, member_count: 1 });
    }
    const after = (await api.http().get('/api/organizations').set(partner.auth)).body['hydra:totalItems'];
    expect(after - before).toBe(20);
  });
});
