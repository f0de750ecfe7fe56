import { readFilters } from '../../http/filters.js';
import type { OperationHandler, ResourceHandlers } from '../../http/mount-operations.js';
import { collection, readPage, searchTemplate } from '../../http/pagination.js';
import { nestedIds } from '../../http/route-params.js';
import { sendCreated, sendRepresentation, toNode, withContext, type JsonLdNode } from '../../http/representation.js';
import { now } from '../../persistence/values.js';
import { fillPath, itemPattern } from '../description.js';
import { organizationDescription } from '../organization/organization.description.js';
import { partnerNode } from '../partner/partner-node.js';
import { statusAt, type Invitation } from './invitation-repository.js';
import { acceptInvitation, createInvitation, getInvitation, listInvitations, revokeInvitation, type InvitationInput } from './invitation-use-cases.js';
import { invitationDescription as description, type InvitationStatus } from './invitation.description.js';

/** While pending, the invitation links to its accept and revoke actions. */
export function invitationNode(invitation: Invitation & { ip_restricted?: true }, at: string): JsonLdNode {
  const id = fillPath(itemPattern(description), { organizationId: invitation.organization_id, id: invitation.id });
  const organization = fillPath(itemPattern(organizationDescription), { id: invitation.organization_id });
  if (invitation.ip_restricted) return toNode(description, { id: invitation.id, organization, ip_restricted: true }, id);
  const status = statusAt(invitation, at);
  return toNode(
    description,
    {
      ...invitation,
      organization,
      status,
      created_by: partnerNode(invitation.creator),
      accepted_by: partnerNode(invitation.acceptor),
      revoked_by: partnerNode(invitation.revoker),
      accept: status === 'pending' ? `${id}/accept` : null,
      revoke: status === 'pending' ? `${id}/revoke` : null,
    },
    id,
  );
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
