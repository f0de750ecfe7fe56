import { buildApp } from './app.js';
import { readConfig } from './config.js';
import { createLogger } from './logger.js';
import { openDatabase } from './persistence/database.js';

const config = readConfig();
const logger = createLogger(config.logLevel);
const { database } = await openDatabase({ url: config.databaseUrl, sqliteSynchronous: config.sqliteSynchronous, ...config.database });
const app = buildApp({ db: database, logger, bodyLimit: config.bodyLimit, trustProxy: config.trustProxy, corsOrigins: config.corsOrigins, rateLimits: config.rateLimits });

const server = app.listen(config.port, config.host, () => {
  logger.info({ url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}/api`, engine: database.engine }, 'Linked Orgs API listening');
});

function shutdown(signal: string) {
  logger.info({ signal }, 'shutting down: finishing requests in flight');
  server.close(async () => {
    await database.close();
    process.exit(0);
  });
  setTimeout(() => process.exit(1), 10_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
