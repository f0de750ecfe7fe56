import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Database } from '../../../persistence/database.js';
import { now } from '../../../persistence/values.js';
import { eventRepository } from '../../event/event-repository.js';
import { sequenceEvents } from '../../event/event-sequencer.js';
import type { EventRow } from '../../event/event.entity.js';
import { visibleTo } from '../../event/event-visibility.js';
import { openSecret } from '../signing-secret.js';
import { checkWebhookUrl } from '../url-safety.js';
import type { DeliveryOutcome, WebhookAttemptRow, WebhookEndpointRow } from '../webhook-endpoint.entity.js';
import type { EndpointChanges } from '../webhook-repository.js';
import { webhookRepository } from '../webhook-repository.js';
import type { WebhookSettings } from '../webhook-settings.js';
import { claimDue, recordAttempt, release, updateHeld } from './delivery-claims.js';
import { deliveryBody } from './delivery-body.js';
import { nextAttemptDelay } from './retry-schedule.js';
import { sendDelivery, type SendResult } from './send-delivery.js';
import { signDelivery } from './sign-delivery.js';

/** What /metrics counts of deliveries (src/http/metrics.ts). */
export interface DeliveryObserver {
  attempted(outcome: DeliveryOutcome, lagSeconds: number): void;
  /** The age of the oldest event some enabled endpoint still waits for, read at most once per poll interval. */
  queueAge(seconds: number): void;
}

export interface DeliveryOptions {
  /** How often an instance looks for due deliveries when nothing woke it (another instance's writes, retries coming due). */
  pollMs?: number;
  /** PUBLIC_ORIGIN: makes the IRIs in a delivery absolute. */
  publicOrigin?: string;
  observer?: DeliveryObserver;
}

/** Endpoints served at once by one instance; each endpoint's own events go one at a time, in order. */
const ENDPOINTS_PER_CLAIM = 16;
const EVENTS_PER_READ = 20;
const isSuccess = (status: number | null) => status !== null && status >= 200 && status < 300;

/**
 * Sends each endpoint the events it may read, one at a time in commit order (event.sequence):
 * the endpoint's `delivered_through` is the last one handled, so a later event waits while an
 * earlier one is retried, and nothing is skipped. Runs in the service process, off the request
 * path: woken after every write the app answers (wake), and polling otherwise. On PostgreSQL
 * several instances share the work through leases on endpoint rows (delivery-claims.ts); an
 * attempt is recorded with the endpoint's progress in one transaction, so a crash between the
 * receiver's answer and that write sends the event again (at least once), never loses it.
 */
export class DeliveryWorker {
  /** Who holds a lease: readable in the database when an operator wonders which instance is delivering. */
  readonly owner = `${hostname().slice(0, 40)}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = true;
  private queueAgeReadAt = 0;

  constructor(private readonly db: Database, private readonly settings: WebhookSettings, private readonly logger: Logger, private readonly options: DeliveryOptions = {}) {
    this.pollMs = options.pollMs ?? 1000;
    // Longer than one attempt can take (the address lookup's 3 s, the timeout) with a margin: a live holder renews it after each event.
    this.leaseMs = settings.timeoutMs + 8000;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Something may have been written: look now rather than at the next poll. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** Stops looking and waits for the deliveries under way (each bounded by WEBHOOK_TIMEOUT_MS). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.pass(), ms);
    this.timer.unref();
  }

  private pass(): void {
    if (this.running || this.stopped) return;
    this.running = this.drain()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'webhook delivery pass failed; the next one retries'))
      .finally(() => {
        this.running = undefined;
        const soon = this.again;
        this.again = false;
        if (!this.stopped) this.schedule(soon ? 0 : this.pollMs);
      });
  }

  private async readQueueAge(observer: DeliveryObserver): Promise<void> {
    if (Date.now() - this.queueAgeReadAt < this.pollMs) return;
    this.queueAgeReadAt = Date.now();
    const oldest = await webhookRepository.oldestPending(this.db);
    observer.queueAge(oldest ? Math.max(0, (Date.now() - Date.parse(oldest)) / 1000) : 0);
  }

  private async drain(): Promise<void> {
    // Without the key nothing can be signed: claiming would hand the same endpoints back at once, again and again.
    if (!this.settings.secretKey) return;
    if (this.options.observer) await this.readQueueAge(this.options.observer);
    while (!this.stopped) {
      await sequenceEvents(this.db);
      const last = await webhookRepository.lastSequence(this.db);
      const at = Date.now();
      const claimed = await claimDue(this.db, this.owner, last, at, at + this.leaseMs, ENDPOINTS_PER_CLAIM);
      if (claimed.length === 0) return;
      await Promise.all(claimed.map((id) => this.serve(id, last)));
    }
  }

  /** One claimed endpoint: its events in order until none is left, one fails, or the lease is lost. */
  private async serve(id: string, last: number): Promise<void> {
    try {
      let endpoint = await webhookRepository.get(this.db, id);
      while (endpoint?.enabled && !this.stopped) {
        const events = await eventRepository.after(this.db, endpoint.delivered_through, visibleTo(endpoint.partner_id), { organizationId: endpoint.organization_id ?? undefined, types: endpoint.events }, EVENTS_PER_READ);
        if (events.length === 0) {
          // Nothing it may read up to the last event seen: skip past the others, so it is not claimed again for them.
          if (last > endpoint.delivered_through) await this.db.transaction((tx) => updateHeld(tx, id, this.owner, { delivered_through: last }));
          return;
        }
        for (const event of events) {
          endpoint = await this.attempt(endpoint, event);
          if (!endpoint || this.stopped) return;
        }
      }
    } finally {
      await release(this.db, id, this.owner);
    }
  }

  private secrets(endpoint: WebhookEndpointRow): string[] | undefined {
    const key = this.settings.secretKey;
    if (!key) return undefined;
    const inGrace = endpoint.previous_secret_sealed && endpoint.previous_secret_expires_at && Date.parse(endpoint.previous_secret_expires_at) > Date.now();
    return [openSecret(key, endpoint.secret_sealed), ...(inGrace ? [openSecret(key, endpoint.previous_secret_sealed!)] : [])];
  }

  private async send(endpoint: WebhookEndpointRow, event: EventRow, secrets: string[]): Promise<SendResult> {
    // Checked again now, after resolution, and sent to the very address checked: a name that has come to point inside (DNS rebinding) is refused.
    const verdict = await checkWebhookUrl(endpoint.url, this.settings.allowedHosts);
    if (!verdict.ok) return { status: null, durationMs: 0, error: `refused before sending: ${verdict.refusal} (${verdict.host})` };
    const body = JSON.stringify(deliveryBody(event, this.options.publicOrigin));
    return sendDelivery(verdict.url, verdict.addresses[0], { ...signDelivery(secrets, event.id, body) }, body, this.settings.timeoutMs);
  }

  /** One attempt and what follows from it; the endpoint as it now stands when the next event may go, undefined otherwise. */
  private async attempt(endpoint: WebhookEndpointRow, event: EventRow): Promise<WebhookEndpointRow | undefined> {
    const secrets = this.secrets(endpoint);
    if (!secrets) return undefined;
    const result = await this.send(endpoint, event, secrets);
    const number = endpoint.failed_attempts + 1;
    const at = now();
    let outcome: DeliveryOutcome;
    let changes: EndpointChanges;
    if (isSuccess(result.status)) {
      outcome = 'delivered';
      changes = { delivered_through: event.sequence, failed_attempts: 0, next_attempt_at: null, failing_since: null, lease_until: new Date(Date.now() + this.leaseMs).toISOString() };
    } else if (result.status === 410) {
      outcome = 'failed';
      changes = { enabled: false, disabled_reason: 'The receiver answered 410 Gone.', failed_attempts: 0, next_attempt_at: null, updated_at: at };
    } else {
      const delay = nextAttemptDelay(this.settings.retrySchedule, number);
      outcome = delay === undefined ? 'failed' : 'retrying';
      // Spent: the endpoint has failed for the whole schedule. It stops here, the event not passed, and resumes from it when enabled again.
      changes = delay === undefined
        ? { enabled: false, disabled_reason: `Failed for the whole retry schedule (${number} attempts).`, failed_attempts: 0, next_attempt_at: null, updated_at: at }
        : { failed_attempts: number, next_attempt_at: new Date(Date.now() + delay).toISOString(), failing_since: endpoint.failing_since ?? at };
    }
    const error = result.error ?? (isSuccess(result.status) ? null : `answered ${result.status}`);
    const row: WebhookAttemptRow = { id: randomUUID(), endpoint_id: endpoint.id, event_id: event.id, attempt: number, at, status_code: result.status, duration_ms: result.durationMs, error: error && error.slice(0, 500), outcome };
    if (!(await recordAttempt(this.db, this.owner, row, changes))) return undefined;
    this.options.observer?.attempted(outcome, (Date.now() - Date.parse(event.occurred_at)) / 1000);
    if (outcome !== 'delivered') this.logger.info({ endpoint: endpoint.id, event: event.id, attempt: number, status: result.status, outcome, error }, 'webhook delivery did not succeed');
    return outcome === 'delivered' ? { ...endpoint, ...changes } : undefined;
  }
}
