import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../src/app.js';
import { startApi, type Api } from './support/harness.js';
import { otherMachine } from './support/network-namespace.js';

const CHROMIUM = '/usr/bin/chromium';
const STEP = 15_000;
const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

let api: Api;
let network: Awaited<ReturnType<typeof otherMachine>>;
let server: Server;
let base: string;
let browser: Browser;

/**
 * The service listens on an address of this machine that is not loopback, and Chromium runs
 * on "another machine" (a network namespace) and opens the explorer by that address over
 * plain HTTP, as a colleague would: Chromium's exemptions for localhost do not apply.
 */
beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No browser at ${CHROMIUM}: install it with \`apt-get install chromium\`.`);
  api = await startApi();
  network = await otherMachine();
  server = buildApp({ db: api.db, logger: pino({ level: 'silent' }) }).listen(0, network.hostAddress);
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://${network.hostAddress}:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: network.wrap(CHROMIUM), args: BROWSER_ARGS, timeout: STEP });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await network?.remove();
  await api?.close();
});

/** A fresh tab recording every request that failed or was sent anywhere but `base`, and every console error. */
async function openTab() {
  const page = await browser.newPage();
  page.setDefaultTimeout(STEP);
  const seen = { failed: [] as string[], elsewhere: [] as string[], errors: [] as string[] };
  page.on('requestfailed', (request) => seen.failed.push(`${request.url()}: ${request.failure()?.errorText}`));
  page.on('request', (request) => {
    if (!request.url().startsWith(`${base}/`) && !request.url().startsWith('data:')) seen.elsewhere.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') seen.errors.push(message.text());
  });
  page.on('pageerror', (error) => seen.errors.push(String(error)));
  return { page, seen };
}

async function expectCleanLoad(page: Page, seen: Awaited<ReturnType<typeof openTab>>['seen']) {
  expect(seen.failed).toEqual([]);
  expect(seen.elsewhere).toEqual([]);
  expect(seen.errors).toEqual([]);
  expect(new URL(page.url()).origin).toBe(base);
}

describe('The explorer opened from another machine over plain HTTP', () => {
  it('When Chromium opens the explorer by the machine\'s address, then every script loads over http and the entrypoint page is built', async () => {
    const partner = await api.partner('Remote Partner');
    const { page, seen } = await openTab();

    await page.goto(`${base}/`);
    await page.locator('h1', { hasText: 'The API entrypoint' }).waitFor();
    await page.getByLabel('Bearer token').fill(partner.token);
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.locator('table.properties a[href="/api/organizations"]').click();
    await page.locator('#status', { hasText: 'GET /api/organizations → 200' }).waitFor();

    await expectCleanLoad(page, seen);
    await page.close();
  });

  it('When Chromium opens Swagger UI by the machine\'s address, then it loads and lists the operations', async () => {
    const { page, seen } = await openTab();

    await page.goto(`${base}/api/docs`);
    await page.locator('.opblock-summary-path', { hasText: '/api/organizations' }).first().waitFor();

    await expectCleanLoad(page, seen);
    await page.close();
  });
});
