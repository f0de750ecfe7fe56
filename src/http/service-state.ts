/** What the instance itself is doing, shared by the server (which changes it) and the health checks (which report it). */
export class ServiceState {
  /** Set on SIGTERM: readiness answers 503 so load balancers stop sending, while requests are still answered. */
  draining = false;
}
