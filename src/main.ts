import v8 from 'node:v8';
import { buildApp, webhookDelivery } from './app.js';
import { readConfig, type Config } from './config.js';
import { ApiServer } from './http/server.js';
import { ServiceState } from './http/service-state.js';
import { drainAndClose } from './http/shutdown.js';
import { createLogger } from './logger.js';
import { openDatabase, type Database } from './persistence/database.js';
import { describeDatabase, parseDatabaseUrl } from './persistence/database-url.js';
import { explainStartupFailure } from './startup-failure.js';

/**
 * V8 lets the old generation grow to about three times what survives a full collection
 * before collecting again: with ~35 MB live under load, 130 MB of heap and 200 MB resident.
 * 1.3 times keeps the service near 150 MB; the collections it adds run mostly concurrently.
 * (A flag V8 reads at every collection, so setting it here, after start, takes effect.)
 */
v8.setFlagsFromString('--heap-growing-percent=30');

let config: Config | undefined;
let database: Database | undefined;
try {
  config = readConfig();
  const logger = createLogger(config.logLevel);
  ({ database } = await openDatabase({
    url: config.databaseUrl,
    sqliteSynchronous: config.sqliteSynchronous,
    ...config.database,
    onConnectionError: (error) => logger.warn({ err: error }, 'an idle database connection failed; the pool replaces it'),
  }));
  const state = new ServiceState();
  const app = buildApp({
    db: database, logger, state, bodyLimit: config.bodyLimit, bodyIdleTimeoutMs: config.http.bodyIdleTimeoutMs, trustProxy: config.trustProxy,
    corsOrigins: config.corsOrigins, rateLimits: config.rateLimits, origins: { publicOrigin: config.publicOrigin, allowedHosts: config.allowedHosts }, metricsToken: config.metricsToken,
    webhooks: config.webhooks,
  });
  const api = new ApiServer(app, { timeouts: config.http, publicOrigin: config.publicOrigin });
  const { port } = await api.listen(config.port, config.host);
  const origin = config.publicOrigin ?? `http://${['0.0.0.0', '::'].includes(config.host) ? 'localhost' : config.host}:${port}`;
  // Delivery starts once the service answers, and takes over what a killed instance left (its leases run out).
  const delivery = webhookDelivery(app);
  delivery.start();
  logger.info({ url: `${origin}/api`, explorer: `${origin}/`, engine: database.engine, database: describeDatabase(parseDatabaseUrl(config.databaseUrl)) }, 'Linked Orgs API listening');

  const open = database;
  const { graceMs } = config.shutdown;
  let stopping = false;
  // Later signals change nothing: a terminal's Ctrl-C under `npm start` arrives twice (from the terminal and from npm).
  const shutdown = (signal: NodeJS.Signals, drainMs: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ drain_ms: drainMs, grace_ms: graceMs, signal }, 'shutting down: readiness is 503, requests are still answered while load balancers stop sending');
    void drainAndClose(api, state, { drainMs, graceMs }, logger).then(async () => {
      // Attempts under way finish and are recorded (each within WEBHOOK_TIMEOUT_MS); none starts.
      await delivery.stop();
      await open.close();
      logger.info('stopped');
      process.exit(0);
    });
  };
  const { drainMs } = config.shutdown;
  process.on('SIGTERM', () => shutdown('SIGTERM', drainMs));
  // Ctrl-C is a person at a terminal, not a load balancer to wait for.
  process.on('SIGINT', () => shutdown('SIGINT', 0));
} catch (error) {
  process.stderr.write(`${explainStartupFailure(error, { port: config?.port, host: config?.host, databaseUrl: config?.databaseUrl ?? process.env.DATABASE_URL })}\n`);
  await database?.close().catch(() => undefined);
  process.exit(1);
}
