import { randomUUID } from 'node:crypto';
import type { Database } from '../../persistence/database.js';
import { isUuid, now } from '../../persistence/values.js';
import { AppError, notFound } from '../../problems/app-error.js';
import { invalid, violation } from '../../problems/violation.js';
import { organizationRepository } from '../organization/organization-repository.js';
import type { Precondition } from '../organization/organization-use-cases.js';
import type { Caller } from '../partner/partner-use-cases.js';
import type { WebhookAttemptRow, WebhookEndpointRow } from './webhook-endpoint.entity.js';
import { webhookRepository, type EndpointChanges } from './webhook-repository.js';
import type { WebhookSettings } from './webhook-settings.js';
import { generateSigningSecret, requireKey, sealSecret } from './signing-secret.js';
import { checkWebhookUrl } from './url-safety.js';
import { sequenceEvents } from '../event/event-sequencer.js';

/** An endpoint as its owner reads it; `secret` only in the answer that made it. */
export type WebhookEndpoint = WebhookEndpointRow & { secret?: string };

export interface EndpointInput {
  url?: string;
  events?: string[] | null;
  organization?: string;
  enabled?: boolean | null;
}

async function requireSafeUrl(url: string, settings: WebhookSettings): Promise<void> {
  const verdict = await checkWebhookUrl(url, settings.allowedHosts);
  if (!verdict.ok) throw invalid([violation(verdict.refusal, 'url', { host: verdict.host })]);
}

/** `/api/organizations/<id>`, an absolute IRI ending so, or the bare id: an organization the caller belongs to or is installed into. */
async function requireOwnOrganization(db: Database, caller: Caller, reference: string): Promise<string> {
  const id = /([0-9a-f-]{36})\/?$/.exec(reference)?.[1] ?? '';
  const standing = isUuid(id) ? await organizationRepository.findWithStanding(db, id, caller.id) : undefined;
  if (!standing?.membership && !standing?.integration) {
    throw invalid([violation('unknown_organization', 'organization', {})]);
  }
  return id;
}

async function requireEndpoint(db: Database, caller: Caller, id: string): Promise<WebhookEndpointRow> {
  const endpoint = isUuid(id) ? await webhookRepository.find(db, caller.id, id) : undefined;
  if (!endpoint) throw notFound('webhook endpoint');
  return endpoint;
}

export async function registerEndpoint(db: Database, caller: Caller, input: EndpointInput & { url: string }, settings: WebhookSettings): Promise<WebhookEndpoint> {
  const key = requireKey(settings.secretKey);
  await requireSafeUrl(input.url, settings);
  const organizationId = input.organization ? await requireOwnOrganization(db, caller, input.organization) : null;
  const secret = generateSigningSecret();
  const at = now();
  // Events committed before the registration are numbered first, so that the endpoint starts after them.
  await sequenceEvents(db);
  return db.transaction(async (tx) => {
    const row: WebhookEndpointRow = {
      id: randomUUID(),
      partner_id: caller.id,
      organization_id: organizationId,
      url: input.url,
      events: input.events ?? [],
      enabled: input.enabled ?? true,
      disabled_reason: null,
      secret_sealed: sealSecret(key, secret),
      previous_secret_sealed: null,
      previous_secret_expires_at: null,
      // Events from now on: those committed before the registration are in the feed.
      delivered_through: await webhookRepository.lastSequence(tx),
      failed_attempts: 0,
      next_attempt_at: null,
      failing_since: null,
      lease_until: null,
      lease_owner: null,
      created_at: at,
      updated_at: at,
    };
    await webhookRepository.insert(tx, row);
    return { ...row, secret };
  });
}

export async function listEndpoints(db: Database, caller: Caller, page: { limit: number; offset: number }): Promise<{ items: WebhookEndpointRow[]; total: number }> {
  const [items, total] = await Promise.all([webhookRepository.page(db, caller.id, page.limit, page.offset), webhookRepository.count(db, caller.id)]);
  return { items, total };
}

export function getEndpoint(db: Database, caller: Caller, id: string): Promise<WebhookEndpointRow> {
  return requireEndpoint(db, caller, id);
}

/** url, events and enabled; enabling again clears what the service recorded when it disabled it, and delivery resumes where it stopped. */
export async function changeEndpoint(db: Database, caller: Caller, id: string, input: EndpointInput, settings: WebhookSettings, precondition?: Precondition<WebhookEndpointRow>): Promise<WebhookEndpointRow> {
  const current = await requireEndpoint(db, caller, id);
  precondition?.(current);
  if (input.url !== undefined && input.url !== current.url) await requireSafeUrl(input.url, settings);
  const changes: EndpointChanges = {};
  if (input.url !== undefined) changes.url = input.url;
  if (input.events !== undefined) changes.events = input.events ?? [];
  if (input.enabled !== undefined) {
    changes.enabled = input.enabled ?? true;
    if (changes.enabled && !current.enabled) Object.assign(changes, { disabled_reason: null, failing_since: null, failed_attempts: 0, next_attempt_at: null });
  }
  if (Object.keys(changes).length === 0) return current;
  changes.updated_at = now();
  await db.transaction((tx) => webhookRepository.update(tx, id, changes));
  return { ...current, ...changes } as WebhookEndpointRow;
}

export async function removeEndpoint(db: Database, caller: Caller, id: string, precondition?: Precondition<WebhookEndpointRow>): Promise<void> {
  if (precondition) precondition(await requireEndpoint(db, caller, id));
  if (!isUuid(id) || !(await db.transaction((tx) => webhookRepository.delete(tx, caller.id, id)))) throw notFound('webhook endpoint');
}

/** A new secret, shown once; the previous one keeps signing (both signatures are sent) for the grace period. */
export async function rotateSecret(db: Database, caller: Caller, id: string, settings: WebhookSettings): Promise<WebhookEndpoint> {
  const current = await requireEndpoint(db, caller, id);
  const key = requireKey(settings.secretKey);
  const secret = generateSigningSecret();
  const at = now();
  const changes = { secret_sealed: sealSecret(key, secret), previous_secret_sealed: current.secret_sealed, previous_secret_expires_at: new Date(Date.parse(at) + settings.secretGraceMs).toISOString(), updated_at: at };
  await db.transaction((tx) => webhookRepository.update(tx, id, changes));
  return { ...current, ...changes, secret };
}

export async function listDeliveries(db: Database, caller: Caller, id: string, page: { limit: number; offset: number }): Promise<{ endpoint: WebhookEndpointRow; items: WebhookAttemptRow[]; total: number }> {
  const endpoint = await requireEndpoint(db, caller, id);
  const [items, total] = await Promise.all([webhookRepository.attempts(db, id, page.limit, page.offset), webhookRepository.countAttempts(db, id)]);
  return { endpoint, items, total };
}
