import type { ResourceHandlers } from '../../http/mount-operations.js';
import { collection, readPage } from '../../http/pagination.js';
import { sendRepresentation, withContext } from '../../http/representation.js';
import { resourceNode } from '../../linked-data/links.js';
import { fillPath, itemPattern } from '../description.js';
import { integrationNode } from '../integration/integration.http.js';
import { integrationDescription } from '../integration/integration.description.js';
import { listInstallations } from '../integration/integration-use-cases.js';
import { invitationNode } from '../invitation/invitation.http.js';
import { invitationDescription } from '../invitation/invitation.description.js';
import { listMyInvitations } from '../invitation/invitation-use-cases.js';
import { partnerDescription as description } from './partner.description.js';

const ME = fillPath(itemPattern(description), {});
const PENDING_INVITATIONS = `${ME}/invitations`;
const INSTALLATIONS = `${ME}/installations`;

/** `/api/me`, the caller; `/api/me/invitations`, what waits for it to accept; `/api/me/installations`, where it is installed (joinable.http.ts answers its joinable organizations). */
export const meHandlers: ResourceHandlers = {
  item: {
    async GET({ req, res, caller }) {
      // Its links (organizations, invitations, installations, joinable_organizations) come from the description.
      sendRepresentation(req, res, 200, withContext(description, resourceNode(description, caller, {})));
    },
  },
  links: {
    invitations: {
      async GET({ req, res, db, caller }) {
        const page = readPage(req);
        const { items, total, at } = await listMyInvitations(db, caller, page);
        const body = collection(req, PENDING_INVITATIONS, items.map((i) => invitationNode(i, at)), total, page);
        sendRepresentation(req, res, 200, withContext(invitationDescription, body));
      },
    },
    installations: {
      async GET({ req, res, db, caller }) {
        const page = readPage(req, { cursors: true });
        const { items, total, edges } = await listInstallations(db, caller, page);
        sendRepresentation(req, res, 200, withContext(integrationDescription, collection(req, INSTALLATIONS, items.map(integrationNode), total, page, undefined, edges)));
      },
    },
  },
};
