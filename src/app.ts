import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Database } from './persistence/database.js';
import { HTTP_DEFAULTS, parseByteSize } from './config.js';
import { refuseOtherHosts } from './http/allowed-hosts.js';
import { apiDocumentationLink } from './http/api-documentation-link.js';
import { setOrigins, type Origins } from './http/base-url.js';
import { identifyCaller } from './http/authenticate.js';
import { cors } from './http/cors.js';
import { rateLimits, type RateLimits } from './http/rate-limit.js';
import { discoveryRouter } from './http/discovery.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { explorerRouter } from './http/explorer/serve-explorer.js';
import { healthRouter } from './http/health.js';
import { refuseDeclaredOversizedBody } from './http/json-body.js';
import { ServiceState } from './http/service-state.js';
import { securityHeaders } from './http/security-headers.js';
import { loadInputValidator } from './input/input-validator.js';
import { metricsEndpoint } from './http/metrics-endpoint.js';
import { serviceMetrics } from './http/metrics.js';
import { mountResource, type MountOptions } from './http/mount-operations.js';
import { requestLogging } from './http/request-logging.js';
import { inSeries } from './http/in-series.js';
import { RouteTable } from './http/route-table.js';
import { modules } from './resources/registry.js';
import { DeliveryWorker } from './resources/webhook/delivery/delivery-worker.js';
import { wakeAfterWrites } from './resources/webhook/delivery/wake-after-writes.js';
import { readWebhookSettings, type WebhookSettings } from './resources/webhook/webhook-settings.js';

export interface AppOptions {
  db: Database;
  logger: Logger;
  /** Bytes, or a size like `1mb`. */
  bodyLimit?: string | number;
  /** Longest pause while a body is being read (HTTP_BODY_IDLE_TIMEOUT_MS). */
  bodyIdleTimeoutMs?: number;
  trustProxy?: string | boolean;
  corsOrigins?: '*' | string[];
  rateLimits?: RateLimits;
  /** PUBLIC_ORIGIN and ALLOWED_HOSTS. */
  origins?: Origins;
  /** Shared with the server, which marks it draining on SIGTERM. */
  state?: ServiceState;
  /** METRICS_TOKEN: GET /metrics answers this bearer token; unset, nothing is measured and /metrics is a 404. */
  metricsToken?: string;
  /** WEBHOOK_* settings (main.ts reads them with the rest of the configuration); read from the environment when not given. */
  webhooks?: WebhookSettings;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perCredential: 600, anonymous: 300 };

/** The app's webhook delivery worker: main.ts starts it once listening and stops it before closing the database. */
export function webhookDelivery(app: Express): DeliveryWorker {
  return app.locals.webhookDelivery as DeliveryWorker;
}

/** The whole API as an Express app, not listening: main.ts listens, tests drive it with supertest. */
export function buildApp({ db, logger, bodyLimit = '1mb', bodyIdleTimeoutMs = HTTP_DEFAULTS.bodyIdleTimeoutMs, trustProxy = false, corsOrigins = '*', rateLimits: limits = DEFAULT_RATE_LIMITS, origins = { allowedHosts: [] }, state = new ServiceState(), metricsToken, webhooks = readWebhookSettings() }: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy);
  setOrigins(app, origins);
  const body = { limit: parseByteSize(bodyLimit), idleTimeoutMs: bodyIdleTimeoutMs };
  const metrics = metricsToken ? serviceMetrics(app, db) : undefined;
  // Created with the app, started by whoever runs it (main.ts; tests that deliver): see webhookDelivery.
  const delivery = new DeliveryWorker(db, webhooks, logger, { publicOrigin: origins.publicOrigin, observer: metrics && { attempted: metrics.webhookAttempted, queueAge: metrics.webhookQueueAge } });
  app.locals.webhookDelivery = delivery;
  // What every request runs, in this order, as one layer of the router (src/http/in-series.ts).
  app.use(inSeries(
    ...(metrics ? [metrics.countRequests] : []),
    wakeAfterWrites(delivery),
    securityHeaders(), requestLogging(logger), apiDocumentationLink, cors(corsOrigins), refuseOtherHosts, refuseDeclaredOversizedBody(body.limit),
  ));
  // Before the token is looked up: liveness must answer while the database is away, token or not.
  app.use(healthRouter(db, state));
  // Its own token, not a partner's: before partners' tokens are looked up and rate-limited.
  if (metrics && metricsToken) app.use(metricsEndpoint(metrics, metricsToken));
  app.use(inSeries(identifyCaller(db), rateLimits(limits, metrics?.rateLimitRefused)));
  app.use(explorerRouter());

  const validator = loadInputValidator();
  const options: MountOptions = { db, validator, body };
  const table = new RouteTable();
  // The resources' routes, found in one look-up; what it does not find goes on through Express's router as before.
  app.use(table.middleware(notFoundHandler));
  app.use(discoveryRouter(options));

  const router = express.Router();
  for (const { serves } of modules) {
    if (serves) mountResource(router, serves.description, serves.handlers({ validator, webhooks }), { ...options, table });
  }
  app.use(router);

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
