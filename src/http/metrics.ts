import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database, PostgresLoad, SqliteLoad } from '../persistence/database.js';
import { operationLabeler } from './operation-label.js';

/** Which of the two limits of rate-limit.ts refused a request. */
export type RateLimitKind = 'per_credential' | 'anonymous';

export interface ServiceMetrics {
  readonly registry: Registry;
  /** First of the app's steps: counts and times every request the app sees, by operation and status. */
  countRequests: RequestHandler;
  /** Called where the 429 is produced. */
  rateLimitRefused(limit: RateLimitKind): void;
  /** Called by the webhook delivery worker after each attempt, with the event's age then. */
  webhookAttempted(outcome: 'delivered' | 'retrying' | 'failed', lagSeconds: number): void;
  /** Called by the delivery worker with the age of the oldest event still waiting. */
  webhookQueueAge(seconds: number): void;
}

/** Seconds from a change to its delivery: from well under a second to the retry schedule's day. */
const LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600, 21600, 86400];

/** Deliveries by outcome, how old events are when attempted, and the queue's age (what the worker reads: webhookRepository.oldestPending). */
function webhookMetrics(registry: Registry) {
  const attempts = new Counter({ name: 'linked_orgs_webhook_deliveries_total', help: 'Webhook delivery attempts by this instance, by outcome: delivered (2xx), retrying (another attempt is scheduled), failed (410, or the retry schedule spent: the endpoint is disabled).', labelNames: ['outcome'], registers: [registry] });
  const lag = new Histogram({ name: 'linked_orgs_webhook_delivery_lag_seconds', help: 'Age of the event (since its change committed) at each delivery attempt, by outcome.', labelNames: ['outcome'], buckets: LAG_BUCKETS, registers: [registry] });
  // Set by the delivery worker, never queried at scrape: /metrics must answer while every pooled connection is busy.
  let queueAge = 0;
  new Gauge({
    name: 'linked_orgs_webhook_queue_age_seconds', help: 'Age of the oldest event that some enabled webhook endpoint has not received yet (0 when none waits), as this instance\'s delivery worker last read it (at most once a second).', registers: [registry],
    collect() {
      this.set(queueAge);
    },
  });
  const attempted = (outcome: string, lagSeconds: number) => {
    attempts.inc({ outcome });
    lag.observe({ outcome }, lagSeconds);
  };
  return { attempted, queueAge: (seconds: number) => void (queueAge = seconds) };
}
/** Seconds. A GET of one organization takes about a millisecond; 10 s is past every timeout but the request's own. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Gauges read from the database at each scrape: pg-pool's counts, or SQLite's queued writes; none when it has neither. */
function databaseGauges(registry: Registry, db: Database): void {
  const load = db.load?.bind(db);
  if (!load) return;
  if (db.engine === 'postgres') {
    new Gauge({
      name: 'linked_orgs_db_pool_connections', help: 'PostgreSQL connections of this instance\'s pool, lent out (in_use) or idle.', labelNames: ['state'], registers: [registry],
      collect() {
        const { connectionsInUse, connectionsIdle } = load() as PostgresLoad;
        this.set({ state: 'in_use' }, connectionsInUse);
        this.set({ state: 'idle' }, connectionsIdle);
      },
    });
    new Gauge({
      name: 'linked_orgs_db_pool_waiting', help: 'Queries and transactions waiting for a free PostgreSQL connection.', registers: [registry],
      collect() {
        this.set((load() as PostgresLoad).waiting);
      },
    });
    return;
  }
  new Gauge({
    name: 'linked_orgs_sqlite_writes_pending', help: 'SQLite writes sent and not finished, the running one included: batches for the writer thread, transactions for the write connection.', labelNames: ['kind'], registers: [registry],
    collect() {
      const { batchesPending, transactionsPending } = load() as SqliteLoad;
      this.set({ kind: 'batch' }, batchesPending);
      this.set({ kind: 'transaction' }, transactionsPending);
    },
  });
}

/**
 * The metrics of one app, in a registry of its own (never prom-client's global one, so several
 * apps in one process, as in the tests, never collide): Node's own (event loop delay, heap,
 * RSS, GC …, prom-client's default metrics), requests by operation and status, requests in
 * flight, rate-limit refusals and the database's load.
 */
export function serviceMetrics(app: Express, db: Database): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['operation', 'status'] as const;
  const requests = new Counter({ name: 'linked_orgs_http_requests_total', help: 'Requests answered, by operation (method and route template) and status.', labelNames, registers: [registry] });
  const durations = new Histogram({ name: 'linked_orgs_http_request_duration_seconds', help: 'From the request reaching the app to the last byte of its answer, by operation and status.', labelNames, buckets: DURATION_BUCKETS, registers: [registry] });
  // A plain number read at each scrape: cheaper per request than the gauge's own inc and dec.
  let inFlight = 0;
  new Gauge({
    name: 'linked_orgs_http_requests_in_flight', help: 'Requests the app has received and not answered yet.', registers: [registry],
    collect() {
      this.set(inFlight);
    },
  });
  const refusals = new Counter({ name: 'linked_orgs_rate_limit_refusals_total', help: 'Requests refused with 429 by the rate limit, by limit: per_credential (a token\'s) or anonymous (an address\'s).', labelNames: ['limit'], registers: [registry] });
  databaseGauges(registry, db);
  const webhooks = webhookMetrics(registry);
  const operationOf = operationLabeler(app);

  const countRequests = (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    inFlight++;
    // 'close' comes once for every response, answered or not: a client that left before its answer is counted as `aborted`.
    res.once('close', () => {
      inFlight--;
      const labels = { operation: operationOf(req), status: res.writableFinished ? String(res.statusCode) : 'aborted' };
      requests.inc(labels);
      durations.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
  return { registry, countRequests, rateLimitRefused: (limit) => refusals.inc({ limit }), webhookAttempted: webhooks.attempted, webhookQueueAge: webhooks.queueAge };
}
