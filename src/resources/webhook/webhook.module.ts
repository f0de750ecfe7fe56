import type { ResourceModule } from '../module.js';
import { webhookAttemptEntity, webhookEndpointEntity } from './webhook-endpoint.entity.js';
import { webhookDeliveryDescription, webhookEndpointDescription } from './webhook.description.js';
import { webhookHandlers } from './webhook.http.js';

export const webhookModule: ResourceModule = {
  descriptions: [webhookEndpointDescription, webhookDeliveryDescription],
  serves: { description: webhookEndpointDescription, handlers: ({ webhooks }) => webhookHandlers(webhooks) },
  entities: [webhookEndpointEntity, webhookAttemptEntity],
};
