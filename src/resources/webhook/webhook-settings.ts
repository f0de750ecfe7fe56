/** What the webhooks read from the environment (see the README's settings table). */
export interface WebhookSettings {
  /** WEBHOOK_SECRET_KEY: 32 bytes (base64 or 64 hex digits) that encrypt signing secrets at rest; unset, no endpoint can be registered. */
  secretKey?: Buffer;
  /** WEBHOOK_ALLOWED_HOSTS: host names (or addresses) reached over http and even when private or loopback, such as a local receiver. */
  allowedHosts: string[];
  /** WEBHOOK_TIMEOUT_MS: how long a delivery may take. */
  timeoutMs: number;
  /** WEBHOOK_RETRY_SCHEDULE: the waits before each retry, in milliseconds. */
  retrySchedule: number[];
  /** WEBHOOK_SECRET_GRACE_MS: how long the previous secret still signs after a rotation. */
  secretGraceMs: number;
}

// About a day from the first attempt to the last (23 h 13 min), as receivers' outages of a working day are covered.
export const DEFAULT_RETRY_SCHEDULE = '5s,30s,2m,10m,1h,6h,16h';
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `5s,30s,2m` -> [5000, 30000, 120000]. */
export function parseRetrySchedule(value: string): number[] {
  return value.split(',').map((part) => {
    const match = /^\s*(\d{1,9})(ms|s|m|h|d)\s*$/.exec(part);
    if (!match) throw new Error(`WEBHOOK_RETRY_SCHEDULE must be waits like 5s,30s,2m,10m,1h (units ms, s, m, h, d), got "${value}"`);
    return Number(match[1]) * UNITS[match[2]];
  });
}

function secretKey(value: string | undefined): Buffer | undefined {
  if (!value) return undefined;
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error('WEBHOOK_SECRET_KEY must be 32 bytes, as 64 hex digits or base64 (openssl rand -base64 32 makes one)');
  return key;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of milliseconds from 1, got "${raw}"`);
  return value;
}

export function readWebhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  return {
    secretKey: secretKey(env.WEBHOOK_SECRET_KEY),
    allowedHosts: (env.WEBHOOK_ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean),
    timeoutMs: positive(env, 'WEBHOOK_TIMEOUT_MS', 10_000),
    retrySchedule: parseRetrySchedule(env.WEBHOOK_RETRY_SCHEDULE || DEFAULT_RETRY_SCHEDULE),
    secretGraceMs: positive(env, 'WEBHOOK_SECRET_GRACE_MS', 86_400_000),
  };
}
