import { ifMatch } from '../../http/etag.js';
import type { ResourceHandlers } from '../../http/mount-operations.js';
import { collection, readPage } from '../../http/pagination.js';
import { sendCreated, sendRepresentation, toNode, withContext, type JsonLdNode } from '../../http/representation.js';
import { fillPath, itemPattern } from '../description.js';
import { eventDescription } from '../event/event.description.js';
import { organizationDescription } from '../organization/organization.description.js';
import type { WebhookAttemptRow } from './webhook-endpoint.entity.js';
import type { WebhookSettings } from './webhook-settings.js';
import { changeEndpoint, getEndpoint, listDeliveries, listEndpoints, registerEndpoint, removeEndpoint, rotateSecret, type EndpointInput, type WebhookEndpoint } from './webhook-use-cases.js';
import { webhookDeliveryDescription, webhookEndpointDescription as description } from './webhook.description.js';

export function endpointNode(endpoint: WebhookEndpoint): JsonLdNode {
  const id = fillPath(itemPattern(description), { id: endpoint.id });
  const inGrace = endpoint.previous_secret_expires_at && Date.parse(endpoint.previous_secret_expires_at) > Date.now();
  return toNode(
    description,
    {
      ...endpoint,
      organization: endpoint.organization_id && fillPath(itemPattern(organizationDescription), { id: endpoint.organization_id }),
      previous_secret_expires_at: inGrace ? endpoint.previous_secret_expires_at : null,
      deliveries: `${id}/deliveries`,
      rotate_secret: `${id}/rotate_secret`,
    },
    id,
  );
}

function attemptNode(attempt: WebhookAttemptRow): JsonLdNode {
  const event = fillPath(itemPattern(eventDescription), { id: attempt.event_id });
  return toNode(webhookDeliveryDescription, { ...attempt, event, status: attempt.status_code }, `${fillPath(itemPattern(description), { id: attempt.endpoint_id })}/deliveries#${attempt.id}`);
}

export function webhookHandlers(settings: WebhookSettings): ResourceHandlers {
  return {
    collection: {
      async GET({ req, res, db, caller }) {
        const page = readPage(req);
        const { items, total } = await listEndpoints(db, caller, page);
        sendRepresentation(req, res, 200, withContext(description, collection(req, fillPath(description.collectionPath!, {}), items.map(endpointNode), total, page)));
      },
      async POST({ req, res, db, caller, input }) {
        sendCreated(req, res, description, endpointNode(await registerEndpoint(db, caller, input as unknown as EndpointInput & { url: string }, settings)));
      },
    },
    item: {
      async GET({ req, res, db, caller }) {
        sendRepresentation(req, res, 200, withContext(description, endpointNode(await getEndpoint(db, caller, String(req.params.id)))));
      },
      async PATCH({ req, res, db, caller, input }) {
        const check = ifMatch(req);
        const changed = await changeEndpoint(db, caller, String(req.params.id), input as EndpointInput, settings, check && ((current) => check(endpointNode(current))));
        sendRepresentation(req, res, 200, withContext(description, endpointNode(changed)));
      },
      async DELETE({ req, res, db, caller }) {
        const check = ifMatch(req);
        await removeEndpoint(db, caller, String(req.params.id), check && ((current) => check(endpointNode(current))));
        res.status(204).end();
      },
    },
    links: {
      deliveries: {
        async GET({ req, res, db, caller }) {
          const page = readPage(req);
          const { items, total } = await listDeliveries(db, caller, String(req.params.id), page);
          const id = `${fillPath(itemPattern(description), { id: String(req.params.id) })}/deliveries`;
          // The endpoint's context: it carries the collection terms and, as it embeds them, the attempts'.
          sendRepresentation(req, res, 200, withContext(description, collection(req, id, items.map(attemptNode), total, page), webhookDeliveryDescription));
        },
      },
      rotate_secret: {
        async POST({ req, res, db, caller }) {
          sendRepresentation(req, res, 200, withContext(description, endpointNode(await rotateSecret(db, caller, String(req.params.id), settings))));
        },
      },
    },
  };
}
