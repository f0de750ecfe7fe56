import type { ResourceDescription } from '../description.js';
import { ipRestrictedProperty } from '../organization/ip-allowlist.js';

const link = { schema: { type: 'string', format: 'iri-reference' }, link: true };

/**
 * An organization the caller may join without an invitation, seen as a prospective member sees
 * it: its name and the join action, nothing of its members or settings.
 */
export const joinableOrganizationDescription: ResourceDescription = {
  name: 'JoinableOrganization',
  title: 'Joinable organization',
  description:
    "An organization the caller may join as member without an invitation, because its auto_join_domains list the caller's email domain; the caller is neither a member nor installed there. Only its name is shown until the caller joins.",
  collectionPath: '/me/joinable_organizations',
  summary: ['name', 'domain'],
  properties: {
    id: {
      iri: 'schema:identifier',
      range: 'xsd:string',
      description: "The organization's identifier (a UUID).",
      schema: { type: 'string', format: 'uuid' },
      identifier: true,
    },
    organization: {
      range: 'Organization',
      description: 'The organization itself: readable once the caller is a member.',
      ...link,
      identifier: true,
    },
    name: {
      iri: 'schema:name',
      range: 'xsd:string',
      description: "The organization's display name.",
      schema: { type: 'string' },
    },
    domain: {
      range: 'xsd:string',
      description: "The caller's email domain (lower case), which the organization lists in its auto_join_domains.",
      schema: { type: 'string' },
    },
    ip_restricted: ipRestrictedProperty('the joinable organization'),
    join: {
      range: 'owl:Thing',
      description: 'POST here to join the organization as a member (within its max_members); the answer is the new membership.',
      ...link,
      operations: {
        POST: {
          title: 'Join the organization as a member (partners whose email domain it lists)',
          scope: 'member:write',
          returns: 'Member',
          status: 201,
          // 400 and 422: a malformed or reused Idempotency-Key; 403: the token's scope or the ip_allowlist; 409: full, personal, already a member or installed, an invitation pending.
          possibleStatus: [201, 403, 404, 409, 422],
        },
      },
    },
  },
  operations: {
    collection: {
      GET: { title: 'List the organizations the caller may join by its email domain', scope: 'organization:read', returns: 'hydra:Collection', cursors: true, status: 200, possibleStatus: [200, 403] },
    },
    item: {
      GET: { title: 'Read an organization the caller may join', scope: 'organization:read', returns: 'JoinableOrganization', status: 200, possibleStatus: [200, 403, 404] },
    },
  },
};
