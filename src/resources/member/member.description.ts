import type { ResourceDescription } from '../description.js';

export const ROLES = ['owner', 'admin', 'billing', 'member'] as const;
export type Role = (typeof ROLES)[number];

const dateTime = { '@type': 'xsd:dateTime' };

/** A partner's membership of one organization, as embedded in the organization. */
export const memberDescription: ResourceDescription = {
  name: 'Member',
  title: 'Member',
  description: 'A partner that belongs to an organization, with the role it holds there.',
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
      description: "The member's email address.",
      schema: { type: 'string', format: 'email' },
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
      schema: { type: 'string', enum: [...ROLES] },
    },
    joined_at: {
      iri: 'schema:startDate',
      range: 'xsd:dateTime',
      description: 'When the partner joined the organization (ISO 8601, UTC).',
      schema: { type: 'string', format: 'date-time' },
      jsonld: dateTime,
    },
  },
  operations: {},
};
