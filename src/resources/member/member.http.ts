import { ifMatch } from '../../http/etag.js';
import { readFilters } from '../../http/filters.js';
import type { ResourceHandlers } from '../../http/mount-operations.js';
import { collection, readPage, searchTemplate } from '../../http/pagination.js';
import { nestedIds } from '../../http/route-params.js';
import { sendCreated, sendRepresentation, withContext } from '../../http/representation.js';
import { resourceNode, type JsonLdNode } from '../../linked-data/links.js';
import { fillPath } from '../description.js';
import type { Member } from './member-repository.js';
import { addMember, changeRole, getMember, listMembers, removeMember } from './member-use-cases.js';
import { memberDescription as description, type Role } from './member.description.js';

export function memberNode(member: Member): JsonLdNode {
  return resourceNode(description, member, { organizationId: member.organization_id, id: member.id });
}

export const memberHandlers: ResourceHandlers = {
  collection: {
    async GET({ req, res, db, caller }) {
      const organizationId = String(req.params.organizationId);
      const { role } = readFilters(req, description);
      const page = readPage(req, { cursors: !role });
      const { items, total, edges } = await listMembers(db, caller, organizationId, role as Role | undefined, page);
      const id = fillPath(description.collectionPath!, { organizationId });
      sendRepresentation(req, res, 200, withContext(description, collection(req, id, items.map(memberNode), total, page, searchTemplate(description, id), edges)));
    },
    async POST({ req, res, db, caller, input }) {
      const member = await addMember(db, caller, String(req.params.organizationId), input as { email: string; role: Role });
      sendCreated(req, res, description, memberNode(member));
    },
  },
  item: {
    async GET({ req, res, db, caller }) {
      sendRepresentation(req, res, 200, withContext(description, memberNode(await getMember(db, caller, ...nestedIds(req.params)))));
    },
    async PATCH({ req, res, db, caller, patch }) {
      const check = ifMatch(req);
      const member = await changeRole(db, caller, ...nestedIds(req.params), patch!, check && ((current) => check(memberNode(current))));
      sendRepresentation(req, res, 200, withContext(description, memberNode(member)));
    },
    async DELETE({ req, res, db, caller }) {
      const check = ifMatch(req);
      await removeMember(db, caller, ...nestedIds(req.params), check && ((current) => check(memberNode(current))));
      res.status(204).end();
    },
  },
};
