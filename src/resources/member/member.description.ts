import type { ResourceDescription } from '../description.js';

export const ROLES = ['owner', 'admin', 'billing', 'member'] as const;
export type Role = (typeof ROLES)[number];

const dateTime = { '@type': 'xsd:dateTime' };

/** Problems every operation on an organization's members or invitations may answer. */
export const NESTED_READ_PROBLEMS = [403, 404];
export const NESTED_WRITE_PROBLEMS = [403, 404, 409, 422];

/** A partner's membership of one organization: embedded in the organization and a collection of its own. */
export const memberDescription: ResourceDescription = {
  name: 'Member',
  title: 'Member',
  description: 'A partner that belongs to an organization, with the role it holds there.',
  collectionPath: '/organizations/:organizationId/members',
  linkedFrom: { property: 'all_members', description: 'The paginated collection of all members.' },
  summary: ['name', 'email', 'role', 'joined_at'],
  search: {
    role: { property: 'role', description: 'Only members with this role.', schema: { enum: [...ROLES] } },
  },
  properties: {
    id: {
      iri: 'schema:identifier',
      range: 'xsd:string',
      description: 'Identifier of the membership (a UUID).',
      schema: { type: 'string', format: 'uuid' },
    },
    email: {
      iri: 'schema:email',
      range: 'xsd:string',
      description: "The member's email address; on creation, the email of an existing partner to add.",
      schema: { type: 'string', format: 'email', maxLength: 254, examples: ['ops@partner.example'] },
      writable: true,
      createOnly: true,
      required: true,
      trim: true,
    },
    name: {
      iri: 'schema:name',
      range: 'xsd:string',
      description: "The member's display name.",
      schema: { type: 'string' },
    },
    role: {
      iri: 'schema:roleName',
      range: 'xsd:string',
      description: `The member's role: ${ROLES.join(', ')}.`,
      // The example is the least powerful role, not the enumeration's first (owner).
      schema: { type: 'string', enum: [...ROLES], examples: ['member'] },
      writable: true,
      required: true,
    },
    joined_at: {
      iri: 'schema:startDate',
      range: 'xsd:dateTime',
      description: 'When the partner joined the organization (ISO 8601, UTC).',
      schema: { type: 'string', format: 'date-time' },
      jsonld: dateTime,
    },
  },
  operations: {
    collection: {
      GET: { title: "List an organization's members", scope: 'member:read', returns: 'hydra:Collection', cursors: true, status: 200, possibleStatus: [200, ...NESTED_READ_PROBLEMS] },
      POST: {
        title: 'Add an existing partner as a member (owner or admin)',
        scope: 'member:write',
        expects: 'Member',
        returns: 'Member',
        status: 201,
        possibleStatus: [201, ...NESTED_WRITE_PROBLEMS],
      },
    },
    item: {
      GET: { title: 'Read a member', scope: 'member:read', returns: 'Member', status: 200, possibleStatus: [200, ...NESTED_READ_PROBLEMS] },
      PATCH: {
        title: "Change a member's role (JSON Merge Patch)",
        scope: 'member:write',
        expects: 'Member',
        returns: 'Member',
        status: 200,
        possibleStatus: [200, ...NESTED_WRITE_PROBLEMS],
        accepts: ['application/merge-patch+json'],
      },
      DELETE: { title: 'Remove a member, or leave the organization', scope: 'member:write', returns: 'owl:Nothing', status: 204, possibleStatus: [204, 403, 404, 409] },
    },
  },
};
