import type { ResourceHandlers } from '../../http/mount-operations.js';
import { collection, readPage } from '../../http/pagination.js';
import { sendCreated, sendRepresentation, withContext } from '../../http/representation.js';
import { resourceNode, type JsonLdNode } from '../../linked-data/links.js';
import { API_PREFIX } from '../description.js';
import { memberDescription } from '../member/member.description.js';
import { memberNode } from '../member/member.http.js';
import { getJoinable, joinOrganization, listJoinable, type Joinable } from './joinable-use-cases.js';
import { joinableOrganizationDescription as description } from './joinable.description.js';

/** A joinable organization is identified by the organization's id; its `organization` and `join` links come from the description. */
export function joinableNode(joinable: Joinable): JsonLdNode {
  const id = joinable.organization_id;
  return resourceNode(description, { ...joinable, id }, { id, organizationId: id });
}

/** `/api/me/joinable_organizations`: where the caller may join by its email domain, and the join action of each. */
export const joinableHandlers: ResourceHandlers = {
  collection: {
    async GET({ req, res, db, caller }) {
      const page = readPage(req, { cursors: true });
      const { items, total, edges } = await listJoinable(db, caller, page);
      const body = collection(req, API_PREFIX + description.collectionPath, items.map(joinableNode), total, page, undefined, edges);
      sendRepresentation(req, res, 200, withContext(description, body));
    },
  },
  item: {
    async GET({ req, res, db, caller }) {
      sendRepresentation(req, res, 200, withContext(description, joinableNode(await getJoinable(db, caller, String(req.params.id)))));
    },
  },
  links: {
    join: {
      async POST({ req, res, db, caller }) {
        sendCreated(req, res, memberDescription, memberNode(await joinOrganization(db, caller, String(req.params.id))));
      },
    },
  },
};
