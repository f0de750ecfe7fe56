/** The bounds of each instance's PostgreSQL pool; `DATABASE_DEFAULTS` when not given. */
export interface PostgresPoolSettings {
  /** Connections per instance. */
  poolSize?: number;
  /** Longest a statement may run before the server cancels it; 0: no limit (migrations). */
  statementTimeoutMs?: number;
  /**
   * Longest to wait for a connection, new (TCP, start-up, authentication) or a free one from
   * the pool, so requests fail fast when the database is away.
   */
  connectTimeoutMs?: number;
  /**
   * Longest the client waits for a statement's answer before it gives the connection up (the
   * server may never answer: a host gone dark). Also how long a session may sit idle inside a
   * transaction before the server ends it, which frees the locks of a client that vanished.
   * Default: the statement timeout plus a second; 0: no limit (migrations).
   */
  queryTimeoutMs?: number;
  /** Idle time before TCP keepalive probes start (Node then sends 10, 1 s apart). */
  keepAliveMs?: number;
  /** An unused pooled connection is closed after this long. */
  idleTimeoutMs?: number;
  /** An idle pooled connection failed; the pool has already dropped it. */
  onConnectionError?: (error: Error) => void;
}

/**
 * How the bounds fit together. A statement of ours takes milliseconds, so 5 s of statement
 * timeout is ample and still answers before a client or load balancer gives up. The client
 * waits a second more (`queryTimeoutFor`), so the server's cancel, which keeps the
 * connection, normally comes first, and the client's own timeout fires only when the server
 * cannot answer at all. Connections idle for 30 s are closed; keepalive probes start after 5 s
 * of silence and give up 10 s later, so a quiet pool drops a dead host's connections within
 * 15 s, before the idle timeout and before a request would wait on one.
 */
export const DATABASE_DEFAULTS = { poolSize: 10, statementTimeoutMs: 5_000, connectTimeoutMs: 2_000, keepAliveMs: 5_000, idleTimeoutMs: 30_000 } as const;

export const queryTimeoutFor = (statementTimeoutMs: number) => statementTimeoutMs + 1_000;

/** TypeORM's options for the pool; node-postgres hands the pool's options to each new client. */
export function postgresPoolOptions(settings: PostgresPoolSettings) {
  const statementTimeoutMs = settings.statementTimeoutMs ?? DATABASE_DEFAULTS.statementTimeoutMs;
  const queryTimeoutMs = settings.queryTimeoutMs ?? queryTimeoutFor(statementTimeoutMs);
  return {
    poolSize: settings.poolSize ?? DATABASE_DEFAULTS.poolSize,
    // pg-pool bounds both a new connection and the wait for a free one with it.
    connectTimeoutMS: settings.connectTimeoutMs ?? DATABASE_DEFAULTS.connectTimeoutMs,
    extra: {
      statement_timeout: statementTimeoutMs,
      query_timeout: queryTimeoutMs,
      idle_in_transaction_session_timeout: queryTimeoutMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: settings.keepAliveMs ?? DATABASE_DEFAULTS.keepAliveMs,
      idleTimeoutMillis: settings.idleTimeoutMs ?? DATABASE_DEFAULTS.idleTimeoutMs,
    },
    // Without a listener on the pool, an idle client's error would end the process.
    poolErrorHandler: settings.onConnectionError ?? (() => undefined),
  };
}
