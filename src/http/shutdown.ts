import { Server as NetServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { ApiServer } from './server.js';
import type { ServiceState } from './service-state.js';

export interface ShutdownTimes {
  /** Readiness is 503 while the service still answers everything, so load balancers can stop sending. */
  drainMs: number;
  /** Once no longer accepting: how long requests still in flight may take before their connections are cut. */
  graceMs: number;
}

/**
 * A connection opened before we stopped accepting (a load balancer's, kept alive or just
 * opened) may have its request on the wire at that moment: it gets this long to arrive
 * before idle connections are closed.
 */
const LAST_CALL_MS = 1_000;
const IDLE_SWEEP_MS = 100;

/** Stops accepting without what http.Server.close() adds: closing idle connections at once, which reset requests on their way. */
function stopAccepting(api: ApiServer): Promise<void> {
  return new Promise((resolve) => NetServer.prototype.close.call(api.server, () => resolve()));
}

/**
 * SIGTERM: readiness turns 503 at once and every answer from then on closes its connection;
 * requests keep being served for `drainMs`; then no new connection is accepted, open ones
 * get a last call, requests in flight up to `graceMs`. Resolves when every connection is closed.
 */
export async function drainAndClose(api: ApiServer, state: ServiceState, times: ShutdownTimes, logger: Logger): Promise<void> {
  state.draining = true;
  api.closeConnectionsAfterAnswers();
  await sleep(times.drainMs);

  const closed = stopAccepting(api);
  logger.info({ open_requests: api.openRequests, grace_ms: times.graceMs }, 'no longer accepting connections: finishing the requests in flight');
  // Then every connection with no request under way, now and as answers already on their way when the drain began finish.
  let sweep = setTimeout(() => {
    api.closeIdleConnections();
    sweep = setInterval(() => api.closeIdleConnections(), IDLE_SWEEP_MS);
  }, LAST_CALL_MS);
  const deadline = setTimeout(() => {
    logger.warn({ open_requests: api.openRequests }, 'requests still in flight after the grace period: closing their connections');
    api.server.closeAllConnections();
  }, times.graceMs);
  await closed;
  clearTimeout(sweep);
  clearTimeout(deadline);
}
