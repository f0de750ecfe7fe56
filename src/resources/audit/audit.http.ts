import { readFilters } from '../../http/filters.js';
import type { ResourceHandlers } from '../../http/mount-operations.js';
import { collection, readPage, searchTemplate } from '../../http/pagination.js';
import { sendRepresentation, withContext } from '../../http/representation.js';
import { resourceNode, type JsonLdNode } from '../../linked-data/links.js';
import { fillPath, itemPattern, type ResourceDescription } from '../description.js';
import { integrationDescription } from '../integration/integration.description.js';
import { invitationDescription } from '../invitation/invitation.description.js';
import { memberDescription } from '../member/member.description.js';
import { organizationDescription } from '../organization/organization.description.js';
import { partnerNode } from '../partner/partner-node.js';
import type { AuditTarget } from './audit-event.entity.js';
import type { AuditEvent } from './audit-repository.js';
import { getAuditEvent, listAuditEvents } from './audit-use-cases.js';
import { auditEventDescription as description } from './audit.description.js';

const TARGETS: Record<AuditTarget, ResourceDescription> = { organization: organizationDescription, member: memberDescription, invitation: invitationDescription, integration: integrationDescription };

/**
 * `target` is the one link no description can fill: it leads to a resource of the class the
 * event row names (the row stores a type and an id), so it is a value of the row.
 */
function auditNode(event: AuditEvent): JsonLdNode {
  const organizationId = event.organization_id;
  const target = fillPath(itemPattern(TARGETS[event.target_type]), { organizationId, id: event.target_id });
  return resourceNode(description, { ...event, actor: partnerNode(event.actor), target, before: event.state_before, after: event.state_after }, { organizationId, id: event.id });
}

export const auditHandlers: ResourceHandlers = {
  collection: {
    async GET({ req, res, db, caller }) {
      const page = readPage(req);
      const organizationId = String(req.params.organizationId);
      const { items, total } = await listAuditEvents(db, caller, organizationId, readFilters(req, description).action, page);
      const id = fillPath(description.collectionPath!, { organizationId });
      sendRepresentation(req, res, 200, withContext(description, collection(req, id, items.map(auditNode), total, page, searchTemplate(description, id))));
    },
  },
  item: {
    async GET({ req, res, db, caller }) {
      sendRepresentation(req, res, 200, withContext(description, auditNode(await getAuditEvent(db, caller, String(req.params.organizationId), String(req.params.id)))));
    },
  },
};
