import { readFilters } from '../../http/filters.js';
import type { ResourceHandlers } from '../../http/mount-operations.js';
import { collection, readPage, searchTemplate } from '../../http/pagination.js';
import { sendRepresentation, toNode, withContext, type JsonLdNode } from '../../http/representation.js';
import { fillPath, itemPattern } from '../description.js';
import { organizationDescription } from '../organization/organization.description.js';
import type { EventRow } from './event.entity.js';
import { getEvent, listEvents } from './event-use-cases.js';
import { eventDescription as description } from './event.description.js';

export function eventNode(event: EventRow): JsonLdNode {
  const organization = fillPath(itemPattern(organizationDescription), { id: event.organization_id });
  return toNode(description, { ...event, organization }, fillPath(itemPattern(description), { id: event.id }));
}

export const eventHandlers: ResourceHandlers = {
  collection: {
    async GET({ req, res, db, caller }) {
      const page = readPage(req, { cursors: true });
      const { type, organization } = readFilters(req, description);
      const { items, total, edges } = await listEvents(db, caller, { type, organizationId: organization }, page);
      const id = fillPath(description.collectionPath!, {});
      sendRepresentation(req, res, 200, withContext(description, collection(req, id, items.map(eventNode), total, page, searchTemplate(description, id), edges)));
    },
  },
  item: {
    async GET({ req, res, db, caller }) {
      sendRepresentation(req, res, 200, withContext(description, eventNode(await getEvent(db, caller, String(req.params.id)))));
    },
  },
};
