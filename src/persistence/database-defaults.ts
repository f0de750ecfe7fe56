/** PostgreSQL connections per instance and timeouts, when the environment does not say (see config.ts). */
export const DATABASE_DEFAULTS = { poolSize: 10, statementTimeoutMs: 10_000, connectTimeoutMs: 2_000 } as const;
