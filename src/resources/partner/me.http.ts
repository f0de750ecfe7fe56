import type { Router } from 'express';
import { mountOperations, type MountOptions } from '../../http/mount-operations.js';
import { collection, readPage } from '../../http/pagination.js';
import { sendRepresentation, toNode, withContext } from '../../http/representation.js';
import { API_PREFIX } from '../description.js';
import { invitationNode } from '../invitation/invitation.http.js';
import { invitationDescription } from '../invitation/invitation.description.js';
import { listMyInvitations } from '../invitation/invitation-use-cases.js';
import { organizationDescription } from '../organization/organization.description.js';
import { ME_PATH, partnerDescription as description } from './partner.description.js';

const INVITATIONS_PATH = `${ME_PATH}/invitations`;

/** `/api/me`, the caller, and `/api/me/invitations`, what waits for it to accept. */
export function mountMe(router: Router, options: MountOptions): void {
  mountOperations(router, ME_PATH, description, description.operations.item!, {
    async GET({ req, res, caller }) {
      const links = { organizations: API_PREFIX + organizationDescription.collectionPath, invitations: API_PREFIX + INVITATIONS_PATH };
      sendRepresentation(req, res, 200, withContext(description, toNode(description, { ...caller, ...links }, API_PREFIX + ME_PATH)));
    },
  }, options);
  mountOperations(router, INVITATIONS_PATH, invitationDescription, description.properties.invitations.operations!, {
    async GET({ req, res, db, caller }) {
      const page = readPage(req);
      const { items, total, at } = await listMyInvitations(db, caller, page);
      const body = collection(req, API_PREFIX + INVITATIONS_PATH, items.map((i) => invitationNode(i, at)), total, page);
      sendRepresentation(req, res, 200, withContext(invitationDescription, body));
    },
  }, options);
}
