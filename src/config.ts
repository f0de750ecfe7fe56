import { DATABASE_DEFAULTS, queryTimeoutFor } from './persistence/database.js';
import { DEFAULT_DATABASE_URL } from './persistence/database-url.js';
import { readWebhookSettings, type WebhookSettings } from './resources/webhook/webhook-settings.js';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  logLevel: string;
  /** Largest request body, in bytes. */
  bodyLimit: number;
  sqliteSynchronous: 'FULL' | 'NORMAL' | 'EXTRA';
  trustProxy: string | boolean;
  /** `*`, or the origins browsers may call the API from. */
  corsOrigins: '*' | string[];
  database: { poolSize: number; statementTimeoutMs: number; connectTimeoutMs: number; queryTimeoutMs: number; keepAliveMs: number; idleTimeoutMs: number };
  rateLimits: { perCredential: number; anonymous: number };
  /** `https://api.example.com`: the origin of every absolute link, whatever Host a client sends. */
  publicOrigin?: string;
  /** Host names the API answers for; any other Host is a 421. Empty: any. */
  allowedHosts: string[];
  http: HttpTimeouts;
  shutdown: { drainMs: number; graceMs: number };
  /** The bearer token GET /metrics answers; unset: no /metrics at all. */
  metricsToken?: string;
  /** WEBHOOK_SECRET_KEY, WEBHOOK_ALLOWED_HOSTS, WEBHOOK_TIMEOUT_MS, WEBHOOK_RETRY_SCHEDULE, WEBHOOK_SECRET_GRACE_MS. */
  webhooks: WebhookSettings;
}

export interface HttpTimeouts {
  /** From the connection's first byte (or the previous answer) to the end of the request's headers. */
  headersTimeoutMs: number;
  /** From the same start to the end of the whole request, body included. */
  requestTimeoutMs: number;
  /** Longest pause while a body is being read. */
  bodyIdleTimeoutMs: number;
}

export const HTTP_DEFAULTS: HttpTimeouts = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, bodyIdleTimeoutMs: 10_000 };
export const SHUTDOWN_DEFAULTS = { drainMs: 5_000, graceMs: 10_000 } as const;

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

const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** `1mb`, `512kb`, `1048576`: the units body-parser's `bytes` reads (powers of 1024). */
export function parseByteSize(value: string | number): number {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(String(value));
  const bytes = match ? Math.floor(Number(match[1]) * BYTE_UNITS[(match[2] ?? 'b').toLowerCase()]) : NaN;
  if (!(bytes >= 1)) throw new Error(`BODY_LIMIT must be a size like 1mb, 512kb or 1048576, got "${value}"`);
  return bytes;
}

function publicOrigin(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value.trim());
  } catch {
    // reported below
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new Error(`PUBLIC_ORIGIN must be a scheme and host (and port), like https://api.example.com, without a path, got "${value}"`);
  }
  return url.origin;
}

function hostNames(value: string | undefined): string[] {
  const list = (value ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  for (const host of list) {
    if (!/^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/.test(host)) throw new Error(`ALLOWED_HOSTS must be a comma-separated list of host names without port, like api.example.com,localhost, got "${host}"`);
  }
  return list;
}

function httpTimeouts(env: NodeJS.ProcessEnv): HttpTimeouts {
  const timeouts = {
    headersTimeoutMs: positive(env, 'HTTP_HEADERS_TIMEOUT_MS', HTTP_DEFAULTS.headersTimeoutMs),
    requestTimeoutMs: positive(env, 'HTTP_REQUEST_TIMEOUT_MS', HTTP_DEFAULTS.requestTimeoutMs),
    bodyIdleTimeoutMs: positive(env, 'HTTP_BODY_IDLE_TIMEOUT_MS', HTTP_DEFAULTS.bodyIdleTimeoutMs),
  };
  // Node refuses a headers timeout longer than the whole request's.
  if (timeouts.headersTimeoutMs > timeouts.requestTimeoutMs) throw new Error('HTTP_HEADERS_TIMEOUT_MS must not be longer than HTTP_REQUEST_TIMEOUT_MS');
  return timeouts;
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

/** Long enough not to be guessed; `openssl rand -hex 32` gives 64 characters. */
const METRICS_TOKEN_MIN_LENGTH = 32;

function metricsToken(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.length < METRICS_TOKEN_MIN_LENGTH || !/^[\x21-\x7e]+$/.test(value)) {
    throw new Error(`METRICS_TOKEN must be at least ${METRICS_TOKEN_MIN_LENGTH} printable characters without spaces (openssl rand -hex 32 makes one), got one of ${value.length} characters`);
  }
  return value;
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
    bodyLimit: parseByteSize(env.BODY_LIMIT || '1mb'),
    sqliteSynchronous: synchronous as Config['sqliteSynchronous'],
    trustProxy: env.TRUST_PROXY === undefined ? false : env.TRUST_PROXY === 'true' ? true : env.TRUST_PROXY,
    corsOrigins: origins(env.CORS_ORIGINS),
    database: databaseBounds(env),
    rateLimits: {
      perCredential: wholeNumber(env, 'RATE_LIMIT_PER_MINUTE', 600),
      anonymous: wholeNumber(env, 'RATE_LIMIT_ANON_PER_MINUTE', 300),
    },
    publicOrigin: publicOrigin(env.PUBLIC_ORIGIN),
    allowedHosts: hostNames(env.ALLOWED_HOSTS),
    http: httpTimeouts(env),
    shutdown: {
      drainMs: wholeNumber(env, 'SHUTDOWN_DRAIN_MS', SHUTDOWN_DEFAULTS.drainMs),
      graceMs: wholeNumber(env, 'SHUTDOWN_GRACE_MS', SHUTDOWN_DEFAULTS.graceMs),
    },
    metricsToken: metricsToken(env.METRICS_TOKEN),
    webhooks: readWebhookSettings(env),
  };
}
