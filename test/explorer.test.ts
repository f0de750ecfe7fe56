import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../src/project-root.js';
import { VOCABULARY } from '../src/resources/description.js';
import { startApi, type Api } from './support/harness.js';

const CHROMIUM = '/usr/bin/chromium';
const STEP = 15_000;
const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
/* Chromium logs every 4xx a fetch receives; those are the answers the steps below ask for. */
const EXPECTED_CONSOLE = /Failed to load resource: the server responded with a status of (401|422)/;

let api: Api;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No browser at ${CHROMIUM}: the explorer tests drive Debian's Chromium, install it with \`apt-get install chromium\`.`);
  api = await startApi();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS, timeout: STEP });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

interface Session {
  context: BrowserContext;
  page: Page;
  requests: string[];
  problems: string[];
  dialogs: { expected: number; seen: string[] };
}

/** A fresh tab (its own session storage) that records every request, console error, CSP violation and dialog. */
async function openTab(): Promise<Session> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(STEP);
  page.setDefaultNavigationTimeout(STEP);
  const session: Session = { context, page, requests: [], problems: [], dialogs: { expected: 0, seen: [] } };
  page.on('request', (request) => session.requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error' && !EXPECTED_CONSOLE.test(message.text())) session.problems.push(message.text());
  });
  page.on('pageerror', (error) => session.problems.push(String(error)));
  page.on('dialog', (dialog) => {
    session.dialogs.seen.push(dialog.message());
    if (session.dialogs.expected > 0) {
      session.dialogs.expected -= 1;
      return dialog.accept();
    }
    return dialog.dismiss();
  });
  return session;
}

function expectOnlyOurOrigin(session: Session) {
  expect(session.requests.length).toBeGreaterThan(0);
  expect(session.requests.filter((url) => !url.startsWith(`${api.base}/`) && !url.startsWith('data:'))).toEqual([]);
}

const statusLine = (page: Page) => page.locator('#status');
const postForm = (page: Page) => page.locator('form.operation[data-method="POST"][data-target="/api/organizations"]');

async function createThroughForm(page: Page, name: string) {
  await postForm(page).locator('[name="name"]').fill(name);
  await postForm(page).getByRole('button', { name: 'Send POST' }).click();
}

describe('Explorer shell', () => {
  it('When a browser asks for /api, then the same static shell with Vary: Accept and no data in it', async () => {
    const partner = await api.partner();
    const created = await api.http().post('/api/organizations').set(partner.auth).send({ name: 'Hidden From Shell' });

    const entrypoint = await api.http().get('/api').set('Accept', BROWSER_ACCEPT);
    const item = await api.http().get(`/api/organizations/${created.body.id}`).set('Accept', 'text/html').set(partner.auth);

    expect(entrypoint.status).toBe(200);
    expect(entrypoint.headers['content-type']).toMatch(/^text\/html/);
    expect(entrypoint.headers.vary).toMatch(/Accept/);
    expect(entrypoint.text).toContain('<script type="module" src="/api/explorer/app.js"></script>');
    expect(entrypoint.text).not.toMatch(/@context|\/api\/organizations|Hidden From Shell/);
    expect(item.text).toBe(entrypoint.text);
  });

  it('When the client accepts */* or prefers JSON-LD, then JSON-LD as before', async () => {
    for (const accept of ['*/*', 'application/ld+json, text/html;q=0.9', 'application/json, text/html']) {
      const res = await api.http().get('/api').set('Accept', accept);
      expect(res.headers['content-type']).toMatch(/^application\/(ld\+)?json/);
      expect(res.body['@type']).toBe('EntryPoint');
    }
  });

  it('When the explorer assets are requested, then they come from this service without counting against the rate limit', async () => {
    const script = await api.http().get('/api/explorer/app.js');
    const swagger = await api.http().get('/api/explorer/swagger-ui/swagger-ui-bundle.js');
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(swagger.status).toBe(200);
    expect(script.headers['ratelimit-limit']).toBeUndefined();
  });
});

describe('Explorer in Chromium', () => {
  it('When a person browses with a token, then they create, read, rename, page through and fail to create organizations from the forms', async () => {
    const partner = await api.partner('Browsing Partner');
    const tab = await openTab();
    const { page } = tab;

    // Given the entrypoint, reached from /
    await page.goto(`${api.base}/`);
    await expect(page.url()).toBe(`${api.base}/api`);
    await page.locator('h1', { hasText: 'The API entrypoint' }).waitFor();
    expect(await statusLine(page).textContent()).toContain('GET /api → 200');

    // When the token is pasted and the organizations link followed
    await page.getByLabel('Bearer token').fill(partner.token);
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.getByText('A token is set for this tab.').waitFor();
    await page.locator('table.properties a[href="/api/organizations"]').click();
    await page.waitForURL(`${api.base}/api/organizations`);
    await page.locator('#status', { hasText: 'GET /api/organizations → 200' }).waitFor();

    // Then an organization is created through the POST form and its page shown
    await createThroughForm(page, 'Browser Co');
    await page.waitForURL(/\/api\/organizations\/[0-9a-f-]{36}$/);
    const organizationPath = new URL(page.url()).pathname;
    await page.locator('h1', { hasText: 'Browser Co' }).waitFor();
    const ownerLink = page.locator('tr[data-property="owners"] a');
    expect(await ownerLink.getAttribute('href')).toMatch(new RegExp(`^${organizationPath}/members/[0-9a-f-]{36}$`));
    expect(await page.locator('tr[data-property="name"] td.description').textContent()).toContain('Display name');
    expect(await page.locator('section.links').textContent()).toContain('http://www.w3.org/ns/hydra/core#apiDocumentation');
    await page.getByText('Raw JSON-LD').click();
    expect(await page.locator('details.raw pre').textContent()).toContain('"name": "Browser Co"');

    // When it is renamed through the merge-patch form
    await page.locator('form.operation[data-method="PATCH"] [name="name"]').fill('Renamed Co');
    await page.locator('form.operation[data-method="PATCH"]').getByRole('button', { name: 'Send PATCH' }).click();
    await page.locator('h1', { hasText: 'Renamed Co' }).waitFor();
    expect((await api.http().get(organizationPath).set(partner.auth)).body.name).toBe('Renamed Co');
    // Then the page shows the renamed organization from its top, not the form that sent it
    expect(new URL(page.url()).pathname).toBe(organizationPath);
    expect(await page.evaluate('window.scrollY')).toBe(0);
    expect(await page.evaluate(`document.activeElement?.tagName`)).toBe('H1');
    expect(await page.locator('tr[data-property="name"] > td:not(.description)').textContent()).toBe('Renamed Co');

    // When someone is invited from the organization page, then the invitation page offers revoke, which works
    const invite = page.locator(`form.operation[data-method="POST"][data-target="${organizationPath}/invitations"]`);
    await invite.locator('[name="email"]').fill('invitee@example.com');
    // The role is a choice among the documented roles, the expiry a date and time
    expect(await invite.locator('select[name="role"] option').allTextContents()).toEqual(['Choose one', 'owner', 'admin', 'billing', 'member']);
    await invite.locator('[name="role"]').selectOption('billing');
    const expiry = invite.locator('[name="expires_at"]');
    expect(await expiry.getAttribute('type')).toBe('datetime-local');
    await expiry.fill('2099-01-01T00:00'); // beyond 30 days: refused, shown beside the field with the server's message and hint
    await invite.getByRole('button', { name: 'Send POST' }).click();
    await invite.locator('[data-field="expires_at"] .violation', { hasText: 'at most 30 days ahead' }).waitFor();
    expect(await invite.locator('[data-field="expires_at"] .violation .hint').textContent()).toContain('Leave it out for 7 days.');
    const threeDays = new Date(Date.now() + 3 * 86_400_000);
    threeDays.setSeconds(0, 0);
    const local = await page.evaluate(`(() => { const d = new Date(${threeDays.getTime()}); const p = (n) => String(n).padStart(2, '0'); return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes()); })()`);
    await expiry.fill(String(local));
    await invite.getByRole('button', { name: 'Send POST' }).click();
    await page.waitForURL(/\/invitations\/[0-9a-f-]{36}$/);
    const invitation = (await api.http().get(new URL(page.url()).pathname).set(partner.auth)).body;
    expect(invitation).toMatchObject({ role: 'billing', expires_at: threeDays.toISOString() });
    await page.locator('tr[data-property="status"]', { hasText: 'pending' }).waitFor();
    await page.locator('form.operation[data-target$="/revoke"]').getByRole('button', { name: 'Send POST' }).click();
    await page.locator('tr[data-property="status"]', { hasText: 'revoked' }).waitFor();
    await page.goto(`${api.base}${organizationPath}`);

    // Then the owner row leads to the member page
    await ownerLink.click();
    await page.locator('h1', { hasText: 'Browsing Partner' }).waitFor();
    expect(await statusLine(page).textContent()).toMatch(/GET \/api\/organizations\/.+\/members\/.+ → 200/);

    // When a create has an empty name, then the violation is shown beside the name field
    await page.goto(`${api.base}/api/organizations`);
    await createThroughForm(page, '');
    await postForm(page).locator('[data-field="name"] .violation', { hasText: /short/ }).waitFor();
    expect(await postForm(page).locator('.result').textContent()).toContain('422');

    // When an organization is named like a script, then its name is text and no dialog opens
    await createThroughForm(page, '<script>alert(1)</script>');
    await page.waitForURL(/\/api\/organizations\/[0-9a-f-]{36}$/);
    await page.locator('h1').waitFor();
    expect(await page.locator('h1').textContent()).toBe('<script>alert(1)</script>');
    await page.goto(`${api.base}/api/organizations`);
    await page.locator('table.nodes', { hasText: '<script>alert(1)</script>' }).waitFor();
    expect(tab.dialogs.seen).toEqual([]);

    // When the collection has 5 members at 2 a page, then first/next/last move through it
    for (const name of ['Page Three', 'Page Four', 'Page Five']) await api.http().post('/api/organizations').set(partner.auth).send({ name });
    await page.goto(`${api.base}/api/organizations?itemsPerPage=2`);
    await page.locator('#status', { hasText: '→ 200' }).waitFor();
    expect(await page.locator('section.collection table.nodes tbody tr').count()).toBe(2);
    const rows = page.locator('section.collection table.nodes tbody tr');
    await page.locator('nav.pages').getByRole('link', { name: 'Next' }).click();
    await page.waitForURL(/after=/); // next and previous are cursors
    await page.locator('#status', { hasText: '→ 200' }).waitFor();
    expect(await rows.count()).toBe(2);
    await page.locator('nav.pages').getByRole('link', { name: 'Last' }).click();
    await page.waitForURL(/page=3/);
    await page.locator('#status', { hasText: '→ 200' }).waitFor();
    expect(await rows.count()).toBe(1);
    expect(await page.locator('nav.pages [aria-disabled="true"]', { hasText: 'Next' }).count()).toBe(1);
    await page.locator('nav.pages').getByRole('link', { name: 'First' }).click();
    await page.waitForURL(/page=1/);
    await page.locator('#status', { hasText: '→ 200' }).waitFor();
    expect(await rows.count()).toBe(2);

    // When the search form is used, then its template is expanded with the values
    await page.locator('form.search [name="name"]').fill('Page');
    await page.locator('form.search').getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\?name=Page$/);
    await page.locator('#status', { hasText: '→ 200' }).waitFor();
    expect(await rows.count()).toBe(3);

    // When an organization is deleted, then only after the confirmation
    await page.goto(`${api.base}${organizationPath}`);
    tab.dialogs.expected = 1;
    await page.locator('form.operation[data-method="DELETE"]').getByRole('button', { name: 'Delete' }).click();
    await page.locator('form.operation[data-method="DELETE"] .result', { hasText: '204' }).waitFor();
    expect(tab.dialogs.seen).toEqual([`Delete ${organizationPath}?`]);
    expect((await api.http().get(organizationPath).set(partner.auth)).status).toBe(404);

    // When the token is forgotten, then the next page is the 401 problem
    await page.goto(`${api.base}/api/me`);
    await page.locator('#status', { hasText: '→ 200' }).waitFor();
    await page.getByRole('button', { name: 'Forget token' }).click();
    await page.locator('#status', { hasText: 'GET /api/me → 401' }).waitFor();
    await page.locator('h1', { hasText: 'Unauthorized' }).waitFor();
    expect(await page.evaluate(`sessionStorage.getItem('linked-orgs.token')`)).toBeNull();

    // And everything came from this origin, with no console error or CSP violation
    expectOnlyOurOrigin(tab);
    expect(tab.problems).toEqual([]);
    await tab.context.close();
  }, 75_000);

  it('When a person creates and edits an organization, then its forms offer defaults, lines for lists, no create-only property on edit, and the server\'s violations by field', async () => {
    const partner = await api.partner('Form Filler');
    const tab = await openTab();
    const { page } = tab;
    await page.goto(`${api.base}/api`);
    await page.getByLabel('Bearer token').fill(partner.token);
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.goto(`${api.base}/api/organizations`);
    await page.locator('#status', { hasText: 'GET /api/organizations → 200' }).waitFor();

    // Given the create form: defaults as documented, lists as lines, is_personal offered
    const create = postForm(page);
    expect(await create.locator('[name="invites_enabled"]').isChecked()).toBe(true);
    expect(await create.locator('[name="members_can_invite"]').isChecked()).toBe(false);
    expect(await create.locator('[name="max_members"]').inputValue()).toBe('0');
    expect(await create.locator('[name="is_personal"]').count()).toBe(1);
    expect(await create.locator('[name="ip_allowlist"]').evaluate((node) => node.tagName)).toBe('TEXTAREA');
    expect(await create.locator('[data-field="ip_allowlist"] small').textContent()).toContain('One per line, at most 100.');

    // When the allowlist leaves out the address the browser comes from, then the server's violation and hint are beside it
    await create.locator('[name="name"]').fill('Listed Co');
    await create.locator('[name="ip_allowlist"]').fill('10.0.0.0/8');
    await create.getByRole('button', { name: 'Send POST' }).click();
    const allowlistViolation = create.locator('[data-field="ip_allowlist"] .violation');
    await allowlistViolation.filter({ hasText: 'leaves out the address this request comes from' }).waitFor();
    expect(await allowlistViolation.locator('.hint').textContent()).toMatch(/Add a network that contains/);
    expect(await create.locator('[name="ip_allowlist"]').getAttribute('aria-invalid')).toBe('true');
    expect((await api.http().get('/api/organizations').set(partner.auth)).body['hydra:totalItems']).toBe(0);

    // When each list holds one entry per line, then they are sent as arrays
    await create.locator('[name="ip_allowlist"]').fill('10.0.0.0/8\n127.0.0.0/8\n::1/128\n');
    await create.locator('[name="auto_join_domains"]').fill('example.org\n  partners.example.net  ');
    await create.locator('[name="metadata"]').fill('{"crm_id": "42"}');
    await create.getByRole('button', { name: 'Send POST' }).click();
    await page.waitForURL(/\/api\/organizations\/[0-9a-f-]{36}$/);
    const organizationPath = new URL(page.url()).pathname;
    const created = (await api.http().get(organizationPath).set(partner.auth)).body;
    expect(created).toMatchObject({ name: 'Listed Co', ip_allowlist: ['10.0.0.0/8', '127.0.0.0/8', '::1/128'], auto_join_domains: ['example.org', 'partners.example.net'], metadata: { crm_id: '42' }, invites_enabled: true, max_members: 0, is_personal: false });

    // Then the edit form shows the values as they are, without is_personal (set at creation only)
    const edit = page.locator('form.operation[data-method="PATCH"]');
    expect(await edit.locator('[name="is_personal"]').count()).toBe(0);
    expect(await edit.locator('[name="ip_allowlist"]').inputValue()).toBe('10.0.0.0/8\n127.0.0.0/8\n::1/128');
    expect(await edit.locator('[name="invites_enabled"]').isChecked()).toBe(true);

    // When a line is not a network, then the violation is beside the list
    await edit.locator('[name="ip_allowlist"]').fill('127.0.0.0/8\nnot-a-network');
    await edit.getByRole('button', { name: 'Send PATCH' }).click();
    await edit.locator('[data-field="ip_allowlist"] .violation', { hasText: 'not a valid cidr' }).waitFor();
    await edit.locator('[name="invites_enabled"]').uncheck();
    await edit.locator('[name="ip_allowlist"]').fill('');
    await edit.getByRole('button', { name: 'Send PATCH' }).click();
    await page.locator('#status', { hasText: `PATCH ${organizationPath} → 200` }).waitFor();
    expect((await api.http().get(organizationPath).set(partner.auth)).body).toMatchObject({ invites_enabled: false, ip_allowlist: [] });

    // And a member's role is a choice showing the current one
    await page.locator('tr[data-property="owners"] a').click();
    await page.locator('h1', { hasText: 'Form Filler' }).waitFor();
    expect(await page.locator('form.operation[data-method="PATCH"] select[name="role"]').inputValue()).toBe('owner');
    expect(await page.locator('form.operation[data-method="PATCH"] [name="email"]').count()).toBe(0);
    expectOnlyOurOrigin(tab);
    expect(tab.problems).toEqual([]);
    await tab.context.close();
  }, 60_000);

  it('When the organizations list is opened, then it shows a few key columns with the pager on top, a count that reads right, and sort directions to choose', async () => {
    const partner = await api.partner('List Reader');
    const tab = await openTab();
    const { page } = tab;
    await page.setViewportSize({ width: 1100, height: 800 });
    await page.goto(`${api.base}/api`);
    await page.getByLabel('Bearer token').fill(partner.token);
    await page.getByRole('button', { name: 'Use token' }).click();
    await api.http().post('/api/organizations').set(partner.auth).send({ name: 'Acme Corp' });
    await page.goto(`${api.base}/api/organizations`);
    await page.locator('section.collection > h2', { hasText: /^1 organization$/ }).waitFor();
    for (const name of ['Globex Corporation', 'Initech', 'Umbrella Holdings', 'Stark Industries']) await api.http().post('/api/organizations').set(partner.auth).send({ name });
    await page.goto(`${api.base}/api/organizations?itemsPerPage=3`);
    await page.locator('#status', { hasText: '→ 200' }).waitFor();

    expect(await page.locator('h1').textContent()).toBe('Organizations');
    expect(await page.locator('section.collection > h2').textContent()).toBe('5 organizations');
    expect(await page.locator('section.collection table.nodes thead th').allTextContents()).toEqual(['name', 'slug', 'member_count', 'created_at']);
    expect(await page.locator('section.collection table.nodes tbody tr').first().locator('th a').textContent()).toBe('Acme Corp');
    // The pager comes before the rows, and no cell breaks a word across lines
    const pagerTop = await page.locator('nav.pages').evaluate((node) => node.getBoundingClientRect().top);
    const tableTop = await page.locator('section.collection table.nodes').evaluate((node) => node.getBoundingClientRect().top);
    expect(pagerTop).toBeLessThan(tableTop);
    const brokenCells = await page.locator('section.collection table.nodes').evaluate((table) =>
      [...table.querySelectorAll('th, td')].filter((cell) => cell.scrollWidth > cell.clientWidth || (cell.textContent!.trim().indexOf(' ') < 0 && cell.getClientRects()[0].height > 40)).length);
    expect(brokenCells).toBe(0);
    // The README shows this page, as this test takes it; UPDATE_SCREENSHOTS=1 refreshes the committed picture.
    const picture = process.env.UPDATE_SCREENSHOTS ? path.join(PROJECT_ROOT, 'docs', 'explorer-organization.png') : path.join(tmpdir(), `explorer-organization-${process.pid}.png`);
    await page.screenshot({ path: picture, fullPage: false });

    // When a sort direction is chosen from the search form, then the list is sorted by it
    const order = page.locator('form.search select[name="order[name]"]');
    expect(await order.locator('option').allTextContents()).toEqual(['(any)', 'asc', 'desc']);
    await order.selectOption('desc');
    await page.locator('form.search').getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/order%5Bname%5D=desc|order\[name\]=desc/);
    await page.locator('#status', { hasText: '→ 200' }).waitFor();
    expect(await page.locator('section.collection table.nodes tbody tr th a').allTextContents()).toEqual(['Umbrella Holdings', 'Stark Industries', 'Initech', 'Globex Corporation', 'Acme Corp']);
    expect(await page.locator('form.search select[name="order[name]"]').inputValue()).toBe('desc');
    expectOnlyOurOrigin(tab);
    expect(tab.problems).toEqual([]);
    await tab.context.close();
  }, 45_000);

  it('When an owner installs an integration from the organization page, then its page shows what was granted, and its forms change and disconnect it', async () => {
    const owner = await api.partner('Installing Owner');
    const crm = await api.partner('Installed CRM');
    const organizationPath = (await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Integrated Co' })).body['@id'];
    const tab = await openTab();
    const { page } = tab;
    await page.goto(`${api.base}${organizationPath}`);
    await page.getByLabel('Bearer token').fill(owner.token);
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.locator('h1', { hasText: 'Integrated Co' }).waitFor();
    expect(await page.locator('tr[data-property="integrations"] a').getAttribute('href')).toBe(`${organizationPath}/integrations`);

    // The install form is generated from the documentation: partner as text, scopes as checkboxes, config as JSON
    const install = page.locator(`form.operation[data-method="POST"][data-target="${organizationPath}/integrations"]`);
    await install.locator('[name="partner"]').fill(crm.email);
    await install.getByRole('checkbox', { name: 'organization:read' }).check();
    await install.getByRole('checkbox', { name: 'member:read' }).check();
    await install.locator('[name="config"]').fill('environment: production');
    await install.getByRole('button', { name: 'Send POST' }).click();
    await install.locator('[data-field="config"] .violation', { hasText: 'This is not JSON' }).waitFor();
    await install.locator('[name="config"]').fill('["production"]');
    await install.getByRole('button', { name: 'Send POST' }).click();
    await install.locator('[data-field="config"] .violation', { hasText: 'This must be a JSON object' }).waitFor();
    await install.locator('[name="config"]').fill('{"environment": "production"}');
    await install.getByRole('button', { name: 'Send POST' }).click();
    await page.waitForURL(/\/integrations\/[0-9a-f-]{36}$/);
    const integrationPath = new URL(page.url()).pathname;
    const value = (key: string) => page.locator(`tr[data-property="${key}"] > td:not(.description)`);
    await value('scopes').filter({ hasText: 'member:read' }).waitFor();
    expect(await value('partner').textContent()).toContain(crm.email);
    expect(await value('config').textContent()).toContain('production');

    // When the scopes are changed through the merge-patch form
    const change = page.locator('form.operation[data-method="PATCH"]');
    // The form shows what was granted, ticked; the partner, set at installation only, is not offered
    expect(await change.getByRole('checkbox', { name: 'member:read' }).isChecked()).toBe(true);
    expect(await change.locator('[name="partner"]').count()).toBe(0);
    await change.getByRole('checkbox', { name: 'member:read' }).uncheck();
    await change.getByRole('button', { name: 'Send PATCH' }).click();
    await page.locator('#status', { hasText: `PATCH ${integrationPath} → 200` }).waitFor();
    expect(await value('scopes').textContent()).not.toContain('member:read');
    expect((await api.http().get(integrationPath).set(owner.auth)).body.scopes).toEqual(['organization:read']);

    // When it is disconnected, then only after the confirmation, and the integration loses the organization
    tab.dialogs.expected = 1;
    await page.locator('form.operation[data-method="DELETE"]').getByRole('button', { name: 'Delete' }).click();
    await page.locator('form.operation[data-method="DELETE"] .result', { hasText: '204' }).waitFor();
    expect((await api.http().get(organizationPath).set(crm.auth)).status).toBe(404);
    expectOnlyOurOrigin(tab);
    expect(tab.problems).toEqual([]);
    await tab.context.close();
  }, 45_000);

  it('When a partner whose email domain an organization lists follows its joinable organizations from /api/me, then it joins from the page and lands on its membership', async () => {
    const owner = await api.partner('Listing Owner');
    const joiner = await api.partner('Browsing Joiner'); // at example.com, like every partner here
    const organization = (await api.http().post('/api/organizations').set(owner.auth).send({ name: 'Open Door Co', auto_join_domains: ['example.com'] })).body;
    const tab = await openTab();
    const { page } = tab;
    await page.goto(`${api.base}/api/me`);
    await page.getByLabel('Bearer token').fill(joiner.token);
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.locator('#status', { hasText: 'GET /api/me → 200' }).waitFor();
    await page.locator('tr[data-property="joinable_organizations"] a').click();
    await page.waitForURL(`${api.base}/api/me/joinable_organizations`);
    await page.locator('section.collection table.nodes a', { hasText: 'Open Door Co' }).click();
    await page.waitForURL(`${api.base}/api/me/joinable_organizations/${organization.id}`);
    expect(await page.locator('tr[data-property="domain"] td.description').textContent()).toContain('auto_join_domains');

    const join = page.locator(`form.operation[data-method="POST"][data-target="/api/me/joinable_organizations/${organization.id}/join"]`);
    await join.getByRole('button', { name: 'Send POST' }).click();
    await page.waitForURL(new RegExp(`/api/organizations/${organization.id}/members/[0-9a-f-]{36}$`));
    await page.locator('h1', { hasText: 'Browsing Joiner' }).waitFor();
    await page.locator('tr[data-property="role"]', { hasText: 'member' }).waitFor();
    expect((await api.http().get(organization['@id']).set(joiner.auth)).status).toBe(200);
    expectOnlyOurOrigin(tab);
    expect(tab.problems).toEqual([]);
    await tab.context.close();
  }, 45_000);

  it('When a collection of 35 organizations is paged through with Next, then every one is seen once, 30 then 5', async () => {
    const partner = await api.partner('Many Organizations');
    for (let i = 0; i < 35; i++) expect((await api.http().post('/api/organizations').set(partner.auth).send({ name: `Many ${i}` })).status).toBe(201);
    const tab = await openTab();
    const { page } = tab;
    await page.goto(`${api.base}/api`);
    await page.getByLabel('Bearer token').fill(partner.token);
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.goto(`${api.base}/api/organizations`);
    const rows = page.locator('section.collection table.nodes tbody tr');
    const seen: string[] = [];
    for (let pages = 0; pages < 5; pages++) {
      await page.locator('#status', { hasText: '→ 200' }).waitFor();
      seen.push(...(await rows.allTextContents()));
      const next = page.locator('nav.pages').getByRole('link', { name: 'Next' });
      if ((await next.count()) === 0) break;
      await next.click();
      await page.waitForURL(/after=/);
    }
    expect(seen.filter((row) => /Many \d+/.test(row))).toHaveLength(35);
    expect(new Set(seen).size).toBe(35);
    expectOnlyOurOrigin(tab);
    expect(tab.problems).toEqual([]);
    await tab.context.close();
  }, 60_000);

  it('When /api/docs is opened, then Swagger UI lists the operations, authorized with the tab token, loading nothing from another origin', async () => {
    const partner = await api.partner();
    const tab = await openTab();
    const { page } = tab;
    await page.goto(`${api.base}/api`);
    await page.evaluate(`sessionStorage.setItem('linked-orgs.token', ${JSON.stringify(partner.token)})`);

    await page.goto(`${api.base}/api/docs`);
    await page.locator('.swagger-ui').waitFor();
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThan(10);
    await page.locator('button.authorize.locked').waitFor();

    expectOnlyOurOrigin(tab);
    expect(tab.problems).toEqual([]);
    await tab.context.close();
  }, 30_000);

  it('When the Hydra documentation or a typed collection URL is opened, then they are pages built from the documentation, from this origin only', async () => {
    const tab = await openTab();
    const { page } = tab;
    await page.goto(`${api.base}/api/docs.jsonld`);
    await page.locator('#class-Organization h2', { hasText: 'Organization' }).waitFor();
    expect(await page.locator('#class-Organization').textContent()).toContain('Change an organization (JSON Merge Patch)');
    expect(await page.locator('#class-Invitation').textContent()).toContain('via accept');
    expect(await page.locator('.documentation p.vocabulary').textContent()).toContain(VOCABULARY);

    // And a collection opened directly, not through a link, still offers the operations of the link that names it
    const partner = await api.partner();
    const organization = await api.http().post('/api/organizations').set(partner.auth).send({ name: 'Typed URL' });
    await page.evaluate(`sessionStorage.setItem('linked-orgs.token', ${JSON.stringify(partner.token)})`);
    await page.goto(`${api.base}/api/organizations/${organization.body.id}/members`);
    await page.locator('#status', { hasText: '→ 200' }).waitFor();
    await page.locator(`form.operation[data-method="POST"][data-target="/api/organizations/${organization.body.id}/members"] [name="email"]`).waitFor();

    const scriptsAndStyles = tab.requests.filter((url) => /\.(js|css)(\?|$)/.test(url));
    expect(scriptsAndStyles.length).toBeGreaterThan(3);
    expectOnlyOurOrigin(tab);
    expect(tab.problems).toEqual([]);
    await tab.context.close();
  }, 30_000);
});
