import { DATABASE_DEFAULTS, queryTimeoutFor } from './persistence/database.js';
import { DEFAULT_DATABASE_URL } from './persistence/database-url.js';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  logLevel: string;
  bodyLimit: string;
  sqliteSynchronous: 'FULL' | 'NORMAL' | 'EXTRA';
  trustProxy: string | boolean;
  /** `*`, or the origins browsers may call the API from. */
  corsOrigins: '*' | string[];
  database: { poolSize: number; statementTimeoutMs: number; connectTimeoutMs: number; queryTimeoutMs: number; keepAliveMs: number; idleTimeoutMs: number };
  rateLimits: { perCredential: number; anonymous: number };
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, 0 or more, got "${raw}"`);
  return value;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number above 0, got "${raw}"`);
  return value;
}

function origins(value: string | undefined): '*' | string[] {
  if (value === undefined || value.trim() === '*') return '*';
  const list = value.split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of list) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new Error(`CORS_ORIGINS must be * or a comma-separated list of origins like https://app.example.com, got "${origin}"`);
  }
  return list;
}

/** The client's wait must outlast the server's: else every slow statement costs a connection, and the server keeps running it. */
function databaseBounds(env: NodeJS.ProcessEnv): Config['database'] {
  const statementTimeoutMs = positive(env, 'DATABASE_STATEMENT_TIMEOUT_MS', DATABASE_DEFAULTS.statementTimeoutMs);
  const queryTimeoutMs = positive(env, 'DATABASE_QUERY_TIMEOUT_MS', queryTimeoutFor(statementTimeoutMs));
  if (queryTimeoutMs <= statementTimeoutMs) {
    throw new Error(`DATABASE_QUERY_TIMEOUT_MS (${queryTimeoutMs}) must be above DATABASE_STATEMENT_TIMEOUT_MS (${statementTimeoutMs}), so that PostgreSQL cancels a slow statement before the client gives its connection up`);
  }
  return {
    poolSize: positive(env, 'DATABASE_POOL_SIZE', DATABASE_DEFAULTS.poolSize),
    statementTimeoutMs,
    connectTimeoutMs: positive(env, 'DATABASE_CONNECT_TIMEOUT_MS', DATABASE_DEFAULTS.connectTimeoutMs),
    queryTimeoutMs,
    keepAliveMs: positive(env, 'DATABASE_KEEPALIVE_MS', DATABASE_DEFAULTS.keepAliveMs),
    idleTimeoutMs: positive(env, 'DATABASE_IDLE_TIMEOUT_MS', DATABASE_DEFAULTS.idleTimeoutMs),
  };
}

/** Everything the service reads from its environment, read once at start. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const synchronous = (env.SQLITE_SYNCHRONOUS ?? 'FULL').toUpperCase();
  if (!['FULL', 'NORMAL', 'EXTRA'].includes(synchronous)) throw new Error('SQLITE_SYNCHRONOUS must be FULL, NORMAL or EXTRA');
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    logLevel: env.LOG_LEVEL ?? 'info',
    bodyLimit: env.BODY_LIMIT ?? '1mb',
    sqliteSynchronous: synchronous as Config['sqliteSynchronous'],
    trustProxy: env.TRUST_PROXY === undefined ? false : env.TRUST_PROXY === 'true' ? true : env.TRUST_PROXY,
    corsOrigins: origins(env.CORS_ORIGINS),
    database: databaseBounds(env),
    rateLimits: {
      perCredential: wholeNumber(env, 'RATE_LIMIT_PER_MINUTE', 600),
      anonymous: wholeNumber(env, 'RATE_LIMIT_ANON_PER_MINUTE', 300),
    },
  };
}
