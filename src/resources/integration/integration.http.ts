import { ifMatch } from '../../http/etag.js';
import type { ResourceHandlers } from '../../http/mount-operations.js';
import { collection, readPage } from '../../http/pagination.js';
import { nestedIds } from '../../http/route-params.js';
import { sendCreated, sendRepresentation, withContext } from '../../http/representation.js';
import { resourceNode, type JsonLdNode } from '../../linked-data/links.js';
import { fillPath } from '../description.js';
import { partnerNode } from '../partner/partner-node.js';
import type { Integration } from './integration-repository.js';
import { changeIntegration, disconnectIntegration, getIntegration, installIntegration, listIntegrations, type IntegrationInput } from './integration-use-cases.js';
import { integrationDescription as description } from './integration.description.js';

/** Its `organization` link comes from the description. */
export function integrationNode(integration: Integration & { ip_restricted?: true }): JsonLdNode {
  const values = { ...integration, partner: partnerNode(integration.partner), created_by: partnerNode(integration.creator) };
  return resourceNode(description, values, { organizationId: integration.organization_id, id: integration.id });
}

export const integrationHandlers: ResourceHandlers = {
  collection: {
    async GET({ req, res, db, caller }) {
      const page = readPage(req);
      const organizationId = String(req.params.organizationId);
      const { items, total } = await listIntegrations(db, caller, organizationId, page);
      const body = collection(req, fillPath(description.collectionPath!, { organizationId }), items.map(integrationNode), total, page);
      sendRepresentation(req, res, 200, withContext(description, body));
    },
    async POST({ req, res, db, caller, input }) {
      const integration = await installIntegration(db, caller, String(req.params.organizationId), input as unknown as IntegrationInput);
      sendCreated(req, res, description, integrationNode(integration));
    },
  },
  item: {
    async GET({ req, res, db, caller }) {
      sendRepresentation(req, res, 200, withContext(description, integrationNode(await getIntegration(db, caller, ...nestedIds(req.params)))));
    },
    async PATCH({ req, res, db, caller, patch }) {
      const check = ifMatch(req);
      const integration = await changeIntegration(db, caller, ...nestedIds(req.params), patch!, check && ((current) => check(integrationNode(current))));
      sendRepresentation(req, res, 200, withContext(description, integrationNode(integration)));
    },
    async DELETE({ req, res, db, caller }) {
      const check = ifMatch(req);
      await disconnectIntegration(db, caller, ...nestedIds(req.params), check && ((current) => check(integrationNode(current))));
      res.status(204).end();
    },
  },
};
