import type { ResourceDescription } from '../description.js';

/** A partner: the caller at /api/me, and the author of invitations wherever they are embedded. */
export const partnerDescription: ResourceDescription = {
  name: 'Partner',
  title: 'Partner',
  description: 'A partner integration calling the API: at /api/me, the caller itself, with links to what concerns it.',
  path: '/me',
  properties: {
    id: {
      iri: 'schema:identifier',
      range: 'xsd:string',
      description: 'Identifier of the partner (a UUID).',
      schema: { type: 'string', format: 'uuid' },
    },
    email: {
      iri: 'schema:email',
      range: 'xsd:string',
      description: "The partner's email address; invitations to it are the partner's to accept.",
      schema: { type: 'string', format: 'email' },
    },
    name: {
      iri: 'schema:name',
      range: 'xsd:string',
      description: "The partner's display name.",
      schema: { type: 'string' },
    },
    organizations: {
      // Not the entrypoint's `organizations`: the same collection, but a property of the partner.
      iri: 'member_of',
      range: 'hydra:Collection',
      description: 'The organizations the partner belongs to or is installed in.',
      schema: { type: 'string', format: 'iri-reference' },
      link: true,
      collectionOf: 'Organization',
    },
    invitations: {
      // Not the organization's `invitations`: a property of its own, with only GET.
      iri: 'pending_invitations',
      range: 'hydra:Collection',
      description: 'Invitations waiting for the partner to accept them.',
      schema: { type: 'string', format: 'iri-reference' },
      link: true,
      holds: 'Invitation',
      operations: {
        GET: { title: 'List the invitations waiting for the caller', scope: 'invitation:read', returns: 'hydra:Collection', status: 200, possibleStatus: [200, 403] },
      },
    },
    installations: {
      range: 'hydra:Collection',
      description: 'Where the partner is installed as an integration: one installation per organization, with the scopes granted there.',
      schema: { type: 'string', format: 'iri-reference' },
      link: true,
      holds: 'Integration',
      operations: {
        GET: { title: 'List where the caller is installed as an integration', scope: 'organization:read', returns: 'hydra:Collection', cursors: true, status: 200, possibleStatus: [200, 403] },
      },
    },
    joinable_organizations: {
      range: 'hydra:Collection',
      description: "Organizations the partner may join as member without an invitation, because their auto_join_domains list its email domain (compared without regard to case); each with its name and its join action.",
      schema: { type: 'string', format: 'iri-reference' },
      link: true,
      collectionOf: 'JoinableOrganization',
    },
  },
  operations: {
    item: {
      GET: { title: 'Read the caller', returns: 'Partner', status: 200, possibleStatus: [200] },
    },
  },
};
