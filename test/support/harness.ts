import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import request from 'supertest';
import { buildApp, webhookDelivery, type AppOptions } from '../../src/app.js';
import { HTTP_DEFAULTS, type HttpTimeouts } from '../../src/config.js';
import { ApiServer } from '../../src/http/server.js';
import { openDatabase } from '../../src/persistence/database.js';
import { createPartner } from '../../src/resources/partner/partner-use-cases.js';
import { readWebhookSettings } from '../../src/resources/webhook/webhook-settings.js';
import { freshPostgresDatabase } from './postgres.js';

export type Api = Awaited<ReturnType<typeof startApi>>;

/** `deliveries: true` starts the webhook delivery worker, as main.ts does; other tests leave it off, so no background work runs under them. */
export type ApiOptions = Partial<Omit<AppOptions, 'db' | 'logger'>> & { logger?: Logger; timeouts?: Partial<HttpTimeouts>; deliveries?: boolean };

/** Webhooks as a test needs them: a key to seal secrets with, and receivers on 127.0.0.1 allowed. */
export const TEST_WEBHOOKS = readWebhookSettings({ WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'), WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_RETRY_SCHEDULE: '100ms,200ms' });

/** The real app and HTTP server on 127.0.0.1 over a fresh SQLite file, as `npm start` would run them. */
export async function startApi({ logger = pino({ level: 'silent' }), timeouts, deliveries = false, ...options }: ApiOptions = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'linked-orgs-test-'));
  const file = path.join(dir, 'test.sqlite');
  // With DATABASE_URL=postgres://... each test file gets a database of its own, dropped at the end.
  const postgres = process.env.DATABASE_URL?.startsWith('postgres') ? await freshPostgresDatabase(process.env.DATABASE_URL) : undefined;
  const url = postgres?.url ?? `sqlite:${file}`;
  const { database, dataSource } = await openDatabase({ url });
  const httpTimeouts = { ...HTTP_DEFAULTS, ...timeouts };
  const app = buildApp({ bodyIdleTimeoutMs: httpTimeouts.bodyIdleTimeoutMs, webhooks: TEST_WEBHOOKS, ...options, db: database, logger });
  const { server } = new ApiServer(app, { timeouts: httpTimeouts, publicOrigin: options.origins?.publicOrigin });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const delivery = webhookDelivery(app);
  if (deliveries) delivery.start();
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let partners = 0;

  return {
    base,
    db: database,
    dataSource,
    url,
    http: () => request(base),
    /** A partner with a fresh token, created the way the CLI creates one. */
    async partner(name = `Partner ${partners + 1}`) {
      const n = ++partners;
      const created = await createPartner(database, { email: `${name.toLowerCase().replace(/\W+/g, '.')}.${n}@example.com`, name });
      return { ...created, auth: { Authorization: `Bearer ${created.token}` } };
    },
    delivery,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await delivery.stop();
      await database.close().catch(() => undefined);
      await postgres?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
