import { AUDIT_ACTIONS } from '../audit/audit.description.js';
import type { ResourceDescription } from '../description.js';

const dateTime = { '@type': 'xsd:dateTime' };
const at = (description: string, absentWhen?: string) => ({ range: 'xsd:dateTime', description, schema: { type: 'string', format: 'date-time' }, jsonld: dateTime, ...(absentWhen && { absentWhen }) });
const link = { schema: { type: 'string', format: 'iri-reference' }, link: true } as const;
const WITH_SECRET = 'Except in the answers to its registration and to a rotation: the secret is shown once.';

/** One attempt to deliver an event to an endpoint, as GET …/deliveries lists them. */
export const webhookDeliveryDescription: ResourceDescription = {
  name: 'WebhookDelivery',
  title: 'Webhook delivery attempt',
  description: 'One POST of an event to a webhook endpoint: when, the answer status, how long it took, and what went wrong.',
  summary: ['event', 'attempt', 'status', 'outcome', 'at'],
  properties: {
    id: { iri: 'schema:identifier', range: 'xsd:string', description: 'Identifier of the attempt (a UUID).', schema: { type: 'string', format: 'uuid' } },
    event: { range: 'Event', description: 'The event sent (its id is the webhook-id header).', ...link },
    attempt: { range: 'xsd:integer', description: 'Which attempt at this event it was, from 1.', schema: { type: 'integer', minimum: 1 } },
    at: { ...at('When the attempt started (ISO 8601, UTC).'), iri: 'schema:startTime' },
    status: { range: 'xsd:integer', description: "The receiver's HTTP status.", schema: { type: 'integer' }, absentWhen: 'When no answer came (timeout, network error, refused address).' },
    duration_ms: { range: 'xsd:integer', description: 'How long the attempt took, in milliseconds.', schema: { type: 'integer', minimum: 0 } },
    error: { range: 'xsd:string', description: 'What went wrong, when it did.', schema: { type: 'string' }, absentWhen: 'When the receiver answered 2xx.' },
    outcome: { range: 'xsd:string', description: 'delivered (2xx), retrying (another attempt is scheduled) or failed (no more attempts).', schema: { type: 'string', enum: ['delivered', 'retrying', 'failed'] } },
  },
  operations: {},
};

/** A partner's URL that receives its events, signed the Standard Webhooks way. */
export const webhookEndpointDescription: ResourceDescription = {
  name: 'WebhookEndpoint',
  title: 'Webhook endpoint',
  description:
    "A URL of the calling partner that receives, as signed POSTs (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature), the events it may read (see /api/events): at least once, per organization in commit order. Only the partner that registered it sees it.",
  collectionPath: '/webhook_endpoints',
  summary: ['url', 'events', 'enabled', 'created_at'],
  embeds: [webhookDeliveryDescription],
  properties: {
    id: { iri: 'schema:identifier', range: 'xsd:string', description: 'Identifier of the endpoint (a UUID).', schema: { type: 'string', format: 'uuid' } },
    url: {
      iri: 'schema:url',
      range: 'xsd:anyURI',
      description: 'Where events are POSTed: https, to a host that resolves to public addresses only (http and private addresses only for hosts the operator lists in WEBHOOK_ALLOWED_HOSTS). Redirects are not followed.',
      schema: { type: 'string', format: 'uri', minLength: 8, maxLength: 2000, examples: ['https://203.0.113.10/hooks/linked-orgs'] },
      writable: true,
      required: true,
      trim: true,
    },
    events: {
      // Its own term: the entrypoint's `events` is the events collection, another meaning.
      iri: 'subscribed_events',
      range: 'xsd:string',
      description: `The event types it receives (${AUDIT_ACTIONS.join(', ')}); empty: all of them.`,
      schema: { type: 'array', items: { type: 'string', enum: [...AUDIT_ACTIONS] }, maxItems: AUDIT_ACTIONS.length, uniqueItems: true, default: [] },
      writable: true,
      jsonld: { '@container': '@set' },
    },
    organization: {
      range: 'Organization',
      description: "Only this organization's events (it must be one the partner belongs to or is installed into); absent: those of every organization it may read.",
      ...link,
      input: { type: 'string', minLength: 1, maxLength: 2000 },
      writable: true,
      createOnly: true,
      absentWhen: 'When it receives the events of every organization the partner may read.',
    },
    enabled: {
      range: 'xsd:boolean',
      description: 'Whether events are sent. The service disables an endpoint that answers 410, or that fails for longer than the retry schedule; set it to true again to resume from where it stopped.',
      schema: { type: 'boolean', default: true },
      writable: true,
    },
    disabled_reason: { range: 'xsd:string', description: 'Why the service disabled it.', schema: { type: 'string' }, absentWhen: 'Unless the service disabled it.' },
    secret: {
      range: 'xsd:string',
      description: 'The signing secret (whsec_ and base64), for the Standard Webhooks libraries to verify webhook-signature with. Stored encrypted.',
      schema: { type: 'string', pattern: '^whsec_' },
      absentWhen: WITH_SECRET,
    },
    previous_secret_expires_at: at('Until when the secret before the last rotation still signs too (both signatures are sent).', 'Unless a rotation is in its grace period.'),
    created_at: { ...at('When it was registered.'), iri: 'schema:dateCreated' },
    updated_at: { ...at('When it last changed.'), iri: 'schema:dateModified' },
    deliveries: {
      range: 'hydra:Collection',
      description: 'The delivery attempts to this endpoint, newest first.',
      ...link,
      holds: 'WebhookDelivery',
      operations: {
        GET: { title: 'List the delivery attempts to an endpoint, newest first', returns: 'hydra:Collection', status: 200, possibleStatus: [200, 404] },
      },
    },
    rotate_secret: {
      range: 'owl:Thing',
      description: 'POST here to get a new signing secret (shown once in the answer); the old one keeps signing too for a grace period (WEBHOOK_SECRET_GRACE_MS, a day by default).',
      ...link,
      operations: {
        POST: { title: "Rotate an endpoint's signing secret", returns: 'WebhookEndpoint', status: 200, possibleStatus: [200, 404, 503] },
      },
    },
  },
  operations: {
    collection: {
      GET: { title: "List the caller's webhook endpoints", returns: 'hydra:Collection', status: 200, possibleStatus: [200] },
      POST: { title: 'Register a webhook endpoint (its secret is shown once)', expects: 'WebhookEndpoint', returns: 'WebhookEndpoint', status: 201, possibleStatus: [201, 422, 503] },
    },
    item: {
      GET: { title: 'Read a webhook endpoint', returns: 'WebhookEndpoint', status: 200, possibleStatus: [200, 404] },
      PATCH: {
        title: "Change an endpoint's url, events or enabled (JSON Merge Patch)",
        expects: 'WebhookEndpoint',
        returns: 'WebhookEndpoint',
        status: 200,
        possibleStatus: [200, 404, 422],
        accepts: ['application/merge-patch+json'],
      },
      DELETE: { title: 'Remove a webhook endpoint', returns: 'owl:Nothing', status: 204, possibleStatus: [204, 404] },
    },
  },
};
