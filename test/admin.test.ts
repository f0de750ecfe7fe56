import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type Page, type Request, type Response } from 'playwright-core';
import { organizationDescription } from '../src/resources/organization/organization.description.js';
import { startApi, type Api } from './support/harness.js';
import { bundleAdminApp, serveAdminApp, type AdminApp } from './support/admin-app/serve.js';

/*
 * API Platform Admin 4 (<HydraAdmin>, react-admin 5), bundled with esbuild and served from another
 * origin, driven in Debian's Chromium through the walk a person takes. Each step is checked by what
 * the page shows and by what the API then holds. Any console error, page error or failed request
 * fails the step that caused it, except the one 422 the violation step asks for.
 */

const CHROMIUM = '/usr/bin/chromium';
const STEP = 15_000;
const ORGANIZATIONS = 30;

let api: Api;
let browser: Browser;
let app: AdminApp;
let page: Page;
let auth: Record<string, string>;
/** Console and page errors, failed requests and error answers since the last step. */
let problems: string[] = [];
/** Error answers a step expects (status, method), each allowed once with its console line. */
let expected: { status: number; method: string }[] = [];
const requests: Request[] = [];

function expectFailure(status: number, method: string) {
  expected.push({ status, method });
}

function recordResponse(response: Response) {
  if (response.status() < 400) return;
  const method = response.request().method();
  const allowed = expected.findIndex((e) => e.status === response.status() && e.method === method);
  if (allowed >= 0) {
    expected.splice(allowed, 1);
    expectedConsole.push(response.status());
  } else problems.push(`${response.status()} answered to ${method} ${response.url()}`);
}

/* Chromium logs each error answer a fetch gets; the ones a step expects are not problems. */
const expectedConsole: number[] = [];
function recordConsole(text: string) {
  const logged = /Failed to load resource: the server responded with a status of (\d+)/.exec(text);
  const at = logged ? expectedConsole.indexOf(Number(logged[1])) : -1;
  if (at >= 0) expectedConsole.splice(at, 1);
  else problems.push(`console error: ${text}`);
}

/** Ends a step: nothing went wrong, and every error answer it expected came. */
function expectCleanStep() {
  const seen = problems;
  const missing = expected;
  problems = [];
  expected = [];
  expect(seen).toEqual([]);
  expect(missing).toEqual([]);
}

async function organizationsInApi(query = ''): Promise<Record<string, unknown>[]> {
  const res = await api.http().get(`/api/organizations?itemsPerPage=100${query}`).set(auth);
  expect(res.status).toBe(200);
  return res.body['hydra:member'] ?? res.body.member;
}

async function organizationInApi(iri: string) {
  return api.http().get(iri).set(auth);
}

const rows = () => page.locator('table tbody tr');
const cellTexts = (column: number) => rows().locator(`td:nth-child(${column})`).allInnerTexts();
const displayedRows = () => page.locator('.MuiTablePagination-displayedRows');

/** The column index (1-based, in the row's cells) of a header. */
async function columnOf(title: string): Promise<number> {
  const headers = await page.locator('table thead th').allInnerTexts();
  const at = headers.findIndex((h) => h.trim() === title);
  expect(at).toBeGreaterThanOrEqual(0);
  return at + 1;
}

/* The first load parses 1.5 MB of script and the API documentation: on a loaded machine it takes longer than a step. */
const FIRST_LOAD = 45_000;

async function openList(query = '', timeout = STEP) {
  await page.goto(`${app.base}/#/organizations${query}`);
  await rows().first().waitFor({ timeout });
}

/** Waits, a bounded number of times, until the API holds what a step expects. */
async function eventually<T>(read: () => Promise<T>, holds: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let attempt = 0; attempt < 50 && !holds(value); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No browser at ${CHROMIUM}: the Admin test drives Debian's Chromium, install it with \`apt-get install chromium\`.`);
  const [bundle] = await Promise.all([bundleAdminApp(), startApi().then((started) => (api = started))]);
  const partner = await api.partner('Admin User');
  auth = partner.auth;
  for (let i = 1; i <= ORGANIZATIONS; i++) {
    const res = await api.http().post('/api/organizations').set(auth).send({ name: `Org ${String(i).padStart(2, '0')}` });
    expect(res.status).toBe(201);
  }
  app = await serveAdminApp(bundle, { entrypoint: `${api.base}/api`, token: partner.token });
  expect(new URL(app.base).origin).not.toBe(new URL(api.base).origin);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'], timeout: STEP });
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1600, height: 1000 } });
  page = await context.newPage();
  page.setDefaultTimeout(STEP);
  page.on('console', (message) => message.type() === 'error' && recordConsole(message.text()));
  page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText})`));
  page.on('response', recordResponse);
  page.on('request', (request) => requests.push(request));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await api?.close();
});

describe('API Platform Admin, cross-origin with a bearer token', () => {
  it('When Admin starts, then its menu has one working entry, Organizations, and no entry for the `me` link', async () => {
    await openList('', FIRST_LOAD);
    const menu = await page.locator('.RaMenuItemLink-root').allInnerTexts();
    expect(menu.map((m) => m.trim())).toEqual(['Organizations', 'Events', 'Webhook endpoints']);
    expect(requests.every((r) => r.url().startsWith(`${app.base}/`) || r.url().startsWith(`${api.base}/`) || r.url().startsWith('data:'))).toBe(true);
    expectCleanStep();
  }, FIRST_LOAD + STEP);

  it('When the list shows, then it counts every organization the API holds and shows their names', async () => {
    await openList();
    await displayedRows().filter({ hasText: new RegExp(`of ${ORGANIZATIONS}$`) }).waitFor();
    const names = await cellTexts(await columnOf('Name'));
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => /^Org \d\d$/.test(n))).toBe(true);
    expect(await organizationsInApi()).toHaveLength(ORGANIZATIONS);
    expectCleanStep();
  });

  // Admin 4.0.9 shows an embedded object as more than text only when its class is an entrypoint collection's.
  it.failing('When the list shows, then embedded owners, members and metadata show as more than [object Object]', async () => {
    await openList();
    expect(await page.locator('table tbody').innerText()).not.toContain('[object Object]');
    expectCleanStep();
  });

  it('When the next page is asked for, then the rows after the first page show, as the API pages them', async () => {
    await openList();
    const first = await cellTexts(await columnOf('Name'));
    const answered = page.waitForResponse((r) => new URL(r.url()).searchParams.get('page') === '2');
    await page.getByRole('button', { name: 'Go to next page' }).click();
    expect((await answered).status()).toBe(200);
    await displayedRows().filter({ hasText: new RegExp(`^${first.length + 1}-`) }).waitFor();
    // react-admin may show the pagination of page 2 a moment before its rows.
    const column = await columnOf('Name');
    const second = await eventually(() => cellTexts(column), (names) => !names.some((n) => first.includes(n)));
    expect(second.some((n) => first.includes(n))).toBe(false);
    expectCleanStep();
  });

  /* Every sortable column, from the collection's search; Admin titles a column by its humanized name. */
  const sortable = Object.keys(organizationDescription.search!)
    .filter((variable) => variable.startsWith('order['))
    .map((variable) => variable.slice('order['.length, -1))
    .map((key) => [key.charAt(0).toUpperCase() + key.slice(1).replace(/_/g, ' '), key]);

  it.each(sortable)('When the %s column is sorted one way then the other, then the rows follow the API order both ways', async (title, key) => {
    await openList();
    for (const direction of ['ASC', 'DESC']) {
      const answered = page.waitForResponse((r) => decodeURIComponent(r.url()).includes(`order[${key}]=${direction}`));
      await page.locator('table thead th').filter({ hasText: new RegExp(`^${title}$`) }).getByRole('button').click();
      expect((await answered).status()).toBe(200);
      await page.waitForLoadState('networkidle');
      const shown = await cellTexts(await columnOf('Name'));
      const inApi = (await organizationsInApi(`&order[${key}]=${direction.toLowerCase()}`)).map((o) => o.name);
      expect(shown).toEqual(inApi.slice(0, shown.length));
    }
    expectCleanStep();
  });

  it('When a name filter is added and typed, then only the organizations whose name contains it show, as the API filters them', async () => {
    await openList();
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.locator('[role^="menuitem"]').filter({ hasText: /^Name$/ }).click();
    await page.keyboard.press('Escape');
    await page.locator('form input[name="name"]').fill('Org 1');
    await displayedRows().filter({ hasText: /of 10$/ }).waitFor();
    const shown = await cellTexts(await columnOf('Name'));
    const inApi = (await organizationsInApi('&name=Org%201')).map((o) => o.name);
    expect(inApi).toHaveLength(10);
    expect([...shown].sort()).toEqual([...inApi].sort());
    await page.goto(`${app.base}/#/organizations?filter=%7B%7D`);
    expectCleanStep();
  });

  it('When Export is clicked, then a CSV file downloads with a row for every organization', async () => {
    await openList('?filter=%7B%7D');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).click();
    const file = await (await download).path();
    const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toContain('name');
    const names = (await organizationsInApi()).map((o) => String(o.name));
    expect(lines).toHaveLength(names.length + 1);
    for (const name of names) expect(lines.some((line) => line.includes(name))).toBe(true);
    expectCleanStep();
  });

  it('When a row is shown, then its page shows the organization the API holds', async () => {
    const [organization] = await organizationsInApi('&order[name]=asc');
    await page.goto(`${app.base}/#/organizations/${encodeURIComponent(String(organization!['@id']))}/show`);
    await page.getByText(String(organization!.slug), { exact: true }).waitFor();
    await expect(page.locator('main').innerText()).resolves.toContain(String(organization!.name));
    expectCleanStep();
  });

  it('When an organization is created with a name only, then the API holds it with that name and its own defaults', async () => {
    await openList();
    await page.getByRole('link', { name: 'Create' }).click();
    await page.locator('input[name="name"]').fill('Made In Admin');
    const switchShowed = await page.locator('input[name="invites_enabled"]').isChecked();
    await page.getByRole('button', { name: 'Save' }).click();
    const made = await eventually(() => organizationsInApi('&name=Made%20In%20Admin'), (found) => found.length === 1);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ name: 'Made In Admin', slug: 'made-in-admin', is_personal: false, ip_allowlist: [], auto_join_domains: [], metadata: {} });
    // The switch is sent as it showed (off in Admin 4.0.9: see the failing step below).
    expect(made[0]!.invites_enabled).toBe(switchShowed);
    expectCleanStep();
  });

  // api-doc-parser reads no default (sh:defaultValue), and react-admin's switch starts off.
  it.failing('When the create form opens, then the invitations switch starts as the API default (on)', async () => {
    await openList();
    await page.getByRole('link', { name: 'Create' }).click();
    await expect(page.locator('input[name="invites_enabled"]').isChecked()).resolves.toBe(true);
    expectCleanStep();
  });

  /** Types into a field until the form keeps it: a reset that comes late (see openEdit) undoes a fill and disables Save. */
  async function fillKept(name: string, value: string) {
    for (let attempt = 0; attempt < 5; attempt++) {
      await page.locator(`input[name="${name}"]`).fill(value);
      await new Promise((resolve) => setTimeout(resolve, 100));
      if ((await page.locator(`input[name="${name}"]`).inputValue()) === value && (await page.getByRole('button', { name: 'Save' }).isEnabled())) return;
    }
    throw new Error(`The form did not keep ${name} = ${value}`);
  }

  /** After a save, react-admin goes back to the list once it has read the answer. */
  async function backOnList() {
    await page.waitForFunction(`/^#\\/organizations(\\?|$)/.test(location.hash)`, undefined, { timeout: STEP });
  }

  /*
   * Opens an organization's edit form and waits until it shows that record: a save of the step before
   * redirects to the list when its answer comes, and a form filled before then is reset, its Save disabled.
   */
  async function openEdit(organization: Record<string, unknown>) {
    const route = `#/organizations/${encodeURIComponent(String(organization['@id']))}`;
    // react-admin shows the list's cached record at once and resets the form when its own GET answers.
    const read = page.waitForResponse((r) => r.request().method() === 'GET' && new URL(r.url()).pathname === organization['@id']);
    await page.goto(`${app.base}/${route}`);
    await read;
    const shown = `document.querySelector('input[name="name"]')?.value === ${JSON.stringify(String(organization.name))}`;
    await page.waitForFunction(`location.hash === ${JSON.stringify(route)} && ${shown}`, undefined, { timeout: STEP });
  }

  it('When an organization is edited and saved, then the API holds the new name (Admin sends the whole record back)', async () => {
    const [organization] = await organizationsInApi('&name=Org%2002');
    await openEdit(organization!);
    await fillKept('name', 'Org 02 Renamed');
    const patched = page.waitForResponse((r) => r.request().method() === 'PATCH');
    await page.getByRole('button', { name: 'Save' }).click();
    const response = await patched;
    expect(response.status()).toBe(200);
    await backOnList();
    expect(response.request().headers()['content-type']).toBe('application/merge-patch+json');
    // What it sent back: its own originId and read-only properties, which the API ignores.
    expect(Object.keys(JSON.parse(response.request().postData() ?? '{}'))).toEqual(expect.arrayContaining(['originId', 'member_count', 'owners', 'created_at', 'is_personal']));
    const after = await organizationInApi(String(organization!['@id']));
    expect(after.body.name).toBe('Org 02 Renamed');
    expectCleanStep();
  });

  it('When list fields are filled one value per line of Admin\'s array inputs, then the API holds them as lists', async () => {
    const [organization] = await organizationsInApi('&name=Org%2003');
    await openEdit(organization!);
    for (const [key, value] of [['ip_allowlist', '127.0.0.0/8'], ['auto_join_domains', 'partner.example']] as const) {
      const group = page.locator(`.ra-input-${key}`);
      await group.getByRole('button', { name: 'Add' }).click();
      await group.locator('input').last().fill(value);
    }
    const patched = page.waitForResponse((r) => r.request().method() === 'PATCH');
    await page.getByRole('button', { name: 'Save' }).click();
    expect((await patched).status()).toBe(200);
    await backOnList();
    const after = await organizationInApi(String(organization!['@id']));
    expect(after.body).toMatchObject({ ip_allowlist: ['127.0.0.0/8'], auto_join_domains: ['partner.example'] });
    expectCleanStep();
  });

  it('When a slug the API refuses is saved, then its 422 message shows beside the slug field and nothing changes', async () => {
    const [organization] = await organizationsInApi('&name=Org%2004');
    await openEdit(organization!);
    await fillKept('slug', 'Not A Slug');
    expectFailure(422, 'PATCH');
    await page.getByRole('button', { name: 'Save' }).click();
    const refusal = await api.http().patch(String(organization!['@id'])).set(auth).set('Content-Type', 'application/merge-patch+json').send({ slug: 'Not A Slug' });
    expect(refusal.status).toBe(422);
    const message = refusal.body.violations.find((v: { propertyPath: string }) => v.propertyPath === 'slug').message;
    await page.locator('.ra-input-slug .MuiFormHelperText-root').filter({ hasText: message }).waitFor();
    const after = await organizationInApi(String(organization!['@id']));
    expect(after.body.slug).toBe(organization!.slug);
    expectCleanStep();
  });

  // Admin has no JSON input for an rdf:JSON property: a text box showing [object Object].
  it.failing('When metadata is typed as JSON, then the API holds it as an object', async () => {
    const [organization] = await organizationsInApi('&name=Org%2005');
    await openEdit(organization!);
    await expect(page.locator('input[name="metadata"]').inputValue()).resolves.toBe('{}');
    await page.locator('input[name="metadata"]').fill('{"crm": "A-1"}');
    await page.getByRole('button', { name: 'Save' }).click();
    const after = await eventually(() => organizationInApi(String(organization!['@id'])), (r) => r.body.metadata?.crm === 'A-1');
    expect(after.body.metadata).toEqual({ crm: 'A-1' });
    expectCleanStep();
  });

  it('When an organization is deleted from its edit page, then the API no longer has it', async () => {
    const [organization] = await organizationsInApi('&name=Org%2006');
    await openEdit(organization!);
    await page.getByRole('button', { name: 'Delete' }).click();
    // Admin's edit is pessimistic: react-admin asks before it deletes.
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await page.locator('table tbody tr').first().waitFor();
    const after = await eventually(() => organizationInApi(String(organization!['@id'])), (r) => r.status === 404);
    expect(after.status).toBe(404);
    await page.locator('table tbody').filter({ hasNotText: String(organization!.name) }).waitFor();
    expectCleanStep();
  });

  it('When two rows are selected and deleted together, then the API no longer has either', async () => {
    await openList('?filter=%7B%7D&order=ASC&sort=name');
    const chosen = (await organizationsInApi('&order[name]=asc')).slice(0, 2);
    for (const organization of chosen) {
      await rows().filter({ hasText: String(organization.slug) }).locator('input[type="checkbox"]').check();
    }
    await page.getByRole('button', { name: 'Delete' }).click();
    for (const organization of chosen) {
      const after = await eventually(() => organizationInApi(String(organization['@id'])), (r) => r.status === 404);
      expect(after.status).toBe(404);
    }
    expectCleanStep();
  });
});

