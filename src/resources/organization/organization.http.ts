import type { ResourceHandlers } from '../../http/mount-operations.js';
import { ifMatch } from '../../http/etag.js';
import { readFilters } from '../../http/filters.js';
import { collection, readPage, searchTemplate } from '../../http/pagination.js';
import { sendCreated, sendKeptRepresentation, sendRepresentation, withContext } from '../../http/representation.js';
import { resourceNode } from '../../linked-data/links.js';
import { API_PREFIX } from '../description.js';
import { memberNode } from '../member/member.http.js';
import type { OrganizationQuery } from './organization-repository.js';
import type { OrganizationRow } from './organization.entity.js';
import { organizationDescription as description } from './organization.description.js';
import { createOrganization, deleteOrganization, listOrganizations, readableOrganization, updateOrganization, type Organization, type OrganizationInput } from './organization-use-cases.js';

/** Its collection links (all_members, invitations, ...) come from the description. */
export function organizationNode(organization: Organization) {
  const members = organization.ip_restricted ? undefined : organization.members?.map(memberNode);
  const embedded = members && { owners: members.filter((m) => m.role === 'owner'), members };
  return resourceNode(description, { ...organization, ...embedded }, { id: organization.id });
}

/** The `order[...]` variables sort by their property, in the order the description lists them. */
function organizationQuery(filters: Record<string, string>): OrganizationQuery {
  const order = Object.entries(filters)
    .filter(([name]) => description.search![name].order)
    .map(([name, direction]) => [description.search![name].property, direction] as OrganizationQuery['order'][number]);
  return { nameContains: filters.name, order };
}

/** The handlers; a merge patch reaches PATCH already turned into its changes (the chain's merge-patch step). */
export function organizationHandlers(): ResourceHandlers {
  return {
    collection: {
      async GET({ req, res, db, caller }) {
        const query = organizationQuery(readFilters(req, description));
        const page = readPage(req, { cursors: !query.nameContains && query.order.length === 0 });
        const kept = await db.keptValues?.(); // before the reads the page is built from
        // The page is the caller's (its organizations, its standing in each, what its token
        // lets it see, which ip_allowlists admit its address) and the request's (filters, page).
        const view = JSON.stringify([caller.id, caller.scopes ?? null, caller.address ?? null, req.originalUrl]);
        await sendKeptRepresentation(req, res, kept, `organizations\u0000${view}`, async () => {
          const { items, total, edges } = await listOrganizations(db, caller, query, page);
          const id = API_PREFIX + description.collectionPath;
          return withContext(description, collection(req, id, items.map(organizationNode), total, page, searchTemplate(description, id), edges));
        });
      },
      async POST({ req, res, db, caller, input }) {
        const organization = await createOrganization(db, caller, input as OrganizationInput & { name: string });
        sendCreated(req, res, description, organizationNode(organization));
      },
    },
    item: {
      async GET({ req, res, db, caller }) {
        const id = String(req.params.id);
        const kept = await db.keptValues?.(); // before the reads the representation is built from
        const { view, seen } = await readableOrganization(db, caller, id, kept);
        await sendKeptRepresentation(req, res, kept, `organization\u0000${id}\u0000${view}`, async () => withContext(description, organizationNode(await seen())));
      },
      async PATCH({ req, res, db, caller, input, patch }) {
        const check = ifMatch(req);
        const changes = patch! as (current: OrganizationRow) => OrganizationInput;
        const organization = await updateOrganization(db, caller, String(req.params.id), Object.keys(input), changes, check && ((current) => check(organizationNode(current))));
        sendRepresentation(req, res, 200, withContext(description, organizationNode(organization)));
      },
      async DELETE({ req, res, db, caller }) {
        const check = ifMatch(req);
        await deleteOrganization(db, caller, String(req.params.id), check && ((current) => check(organizationNode(current))));
        res.status(204).end();
      },
    },
  };
}
