import type { ResourceDescription } from '../description.js';
import { NESTED_READ_PROBLEMS, NESTED_WRITE_PROBLEMS, ROLES } from '../member/member.description.js';
import { ipRestrictedProperty } from '../organization/ip-allowlist.js';
import { partnerDescription } from '../partner/partner.description.js';

export const INVITATION_STATUSES = ['pending', 'accepted', 'revoked', 'expired'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export const DEFAULT_INVITATION_DAYS = 7;
export const MAX_INVITATION_DAYS = 30;

const dateTime = { '@type': 'xsd:dateTime' };
const link = { schema: { type: 'string', format: 'iri-reference' }, link: true };

const partnerWho = (what: string, absentWhen?: string) => ({
  range: 'Partner',
  description: `The partner who ${what} (id, email, name).`,
  schema: { $ref: '#/$defs/EmbeddedPartner' },
  ...(absentWhen ? { absentWhen } : {}),
});
const UNLESS_ACCEPTED = 'Until the invitation is accepted.';
const UNLESS_REVOKED = 'Unless the invitation was revoked.';
const WHILE_PENDING = 'Once the invitation is no longer pending.';

const at = (description: string) => ({ range: 'xsd:dateTime', description, schema: { type: 'string', format: 'date-time', maxLength: 64 }, jsonld: dateTime });

/** An invitation by email to join an organization with a role; the invitee accepts it with its own token. */
export const invitationDescription: ResourceDescription = {
  name: 'Invitation',
  title: 'Invitation',
  description: 'An invitation for the partner with this email to join an organization with a role.',
  collectionPath: '/organizations/:organizationId/invitations',
  linkedFrom: { property: 'invitations', description: "The organization's invitations, paginated." },
  summary: ['email', 'role', 'status', 'expires_at'],
  search: {
    status: { property: 'status', description: 'Only invitations with this status.', schema: { enum: [...INVITATION_STATUSES] } },
  },
  embeds: [partnerDescription],
  properties: {
    id: {
      iri: 'schema:identifier',
      range: 'xsd:string',
      description: 'Identifier of the invitation (a UUID).',
      schema: { type: 'string', format: 'uuid' },
      identifier: true,
    },
    organization: {
      range: 'Organization',
      description: 'The organization the invitation is to.',
      ...link,
      identifier: true,
    },
    organization_name: {
      range: 'xsd:string',
      description: 'Name of that organization, for the invitee who cannot read it yet.',
      schema: { type: 'string' },
    },
    email: {
      iri: 'schema:email',
      range: 'xsd:string',
      description: 'Who is invited: the partner with this email (compared without regard to case) may accept.',
      schema: { type: 'string', format: 'email', maxLength: 254, examples: ['ops@partner.example'] },
      writable: true,
      required: true,
      trim: true,
    },
    role: {
      iri: 'schema:roleName',
      range: 'xsd:string',
      description: `The role the invitee gets on accepting: ${ROLES.join(', ')}.`,
      schema: { type: 'string', enum: [...ROLES], examples: ['member'] },
      writable: true,
      required: true,
    },
    status: {
      range: 'xsd:string',
      description: `${INVITATION_STATUSES.join(', ')}.`,
      schema: { type: 'string', enum: [...INVITATION_STATUSES] },
    },
    expires_at: {
      ...at(`When the invitation lapses (ISO 8601); in the future and at most ${MAX_INVITATION_DAYS} days ahead, ${DEFAULT_INVITATION_DAYS} days when not given.`),
      writable: true,
      notNull: true,
    },
    created_at: { ...at('When the invitation was sent.'), iri: 'schema:dateCreated' },
    created_by: partnerWho('sent the invitation'),
    accepted_at: { ...at('When it was accepted.'), absentWhen: UNLESS_ACCEPTED },
    accepted_by: partnerWho('accepted it', UNLESS_ACCEPTED),
    revoked_at: { ...at('When it was revoked.'), absentWhen: UNLESS_REVOKED },
    revoked_by: partnerWho('revoked it', UNLESS_REVOKED),
    ip_restricted: ipRestrictedProperty('the invitation (at /api/me/invitations)'),
    accept: {
      range: 'owl:Thing',
      description: 'While pending: POST here, as the invitee, to accept.',
      ...link,
      absentWhen: WHILE_PENDING,
      shownWhile: { status: 'pending' },
      operations: {
        POST: { title: 'Accept the invitation (the invitee): become a member', scope: 'invitation:write', returns: 'Invitation', status: 200, possibleStatus: [200, 403, 404, 409, 410, 422] },
      },
    },
    revoke: {
      range: 'owl:Thing',
      description: 'While pending: POST here, as an owner or admin, to revoke.',
      ...link,
      absentWhen: WHILE_PENDING,
      shownWhile: { status: 'pending' },
      operations: {
        POST: { title: 'Revoke the invitation (owner or admin)', scope: 'invitation:write', returns: 'Invitation', status: 200, possibleStatus: [200, 403, 404, 409, 422] },
      },
    },
  },
  operations: {
    collection: {
      GET: { title: "List an organization's invitations, optionally by status", scope: 'invitation:read', returns: 'hydra:Collection', status: 200, possibleStatus: [200, ...NESTED_READ_PROBLEMS] },
      POST: { title: 'Invite someone by email', scope: 'invitation:write', expects: 'Invitation', returns: 'Invitation', status: 201, possibleStatus: [201, ...NESTED_WRITE_PROBLEMS] },
    },
    item: {
      GET: { title: 'Read an invitation (members, and the invitee)', scope: 'invitation:read', returns: 'Invitation', status: 200, possibleStatus: [200, ...NESTED_READ_PROBLEMS] },
    },
  },
};
