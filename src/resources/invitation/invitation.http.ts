import { readFilters } from '../../http/filters.js';
import type { OperationHandler, ResourceHandlers } from '../../http/mount-operations.js';
import { collection, readPage, searchTemplate } from '../../http/pagination.js';
import { nestedIds } from '../../http/route-params.js';
import { sendCreated, sendRepresentation, withContext } from '../../http/representation.js';
import { resourceNode, type JsonLdNode } from '../../linked-data/links.js';
import { now } from '../../persistence/values.js';
import { fillPath } from '../description.js';
import { partnerNode } from '../partner/partner-node.js';
import { statusAt, type Invitation } from './invitation-repository.js';
import { acceptInvitation, createInvitation, getInvitation, listInvitations, revokeInvitation, type InvitationInput } from './invitation-use-cases.js';
import { invitationDescription as description, type InvitationStatus } from './invitation.description.js';

/** Its status at `at`; the description links it to its organization, and, while pending, to its accept and revoke actions. */
export function invitationNode(invitation: Invitation & { ip_restricted?: true }, at: string): JsonLdNode {
  const values = {
    ...invitation,
    status: statusAt(invitation, at),
    created_by: partnerNode(invitation.creator),
    accepted_by: partnerNode(invitation.acceptor),
    revoked_by: partnerNode(invitation.revoker),
  };
  return resourceNode(description, values, { organizationId: invitation.organization_id, id: invitation.id });
}

function sendInvitation(action: typeof acceptInvitation): OperationHandler {
  return async ({ req, res, db, caller }) => {
    const invitation = await action(db, caller, ...nestedIds(req.params));
    sendRepresentation(req, res, 200, withContext(description, invitationNode(invitation, now())));
  };
}

export const invitationHandlers: ResourceHandlers = {
  collection: {
    async GET({ req, res, db, caller }) {
      const page = readPage(req);
      const organizationId = String(req.params.organizationId);
      const { status } = readFilters(req, description);
      const { items, total, at } = await listInvitations(db, caller, organizationId, status as InvitationStatus | undefined, page);
      const id = fillPath(description.collectionPath!, { organizationId });
      const body = collection(req, id, items.map((i) => invitationNode(i, at)), total, page, searchTemplate(description, id));
      sendRepresentation(req, res, 200, withContext(description, body));
    },
    async POST({ req, res, db, caller, input }) {
      const invitation = await createInvitation(db, caller, String(req.params.organizationId), input as unknown as InvitationInput);
      sendCreated(req, res, description, invitationNode(invitation, invitation.created_at));
    },
  },
  item: {
    GET: sendInvitation(getInvitation),
  },
  links: {
    accept: { POST: sendInvitation(acceptInvitation) },
    revoke: { POST: sendInvitation(revokeInvitation) },
  },
};
