import type { ResourceDescription } from '../description.js';
import { partnerDescription } from '../partner/partner.description.js';

export const AUDIT_ACTIONS = [
  'organization.created',
  'organization.updated',
  'organization.deleted',
  'member.added',
  'member.role_changed',
  'member.removed',
  'member.left',
  'member.joined',
  'invitation.created',
  'invitation.revoked',
  'invitation.accepted',
  'integration.installed',
  'integration.changed',
  'integration.disconnected',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

const state = (when: string) => ({
  range: 'rdf:JSON',
  description: `The values the change touched, ${when} it (settings, roles and granted scopes).`,
  schema: { type: 'object' },
  jsonld: { '@type': '@json' },
  absentWhen: `When there was nothing ${when} it (before a creation, after a deletion).`,
});

/** One state change of an organization: who, what, when, and the values before and after. */
export const auditEventDescription: ResourceDescription = {
  name: 'AuditEvent',
  title: 'Audit event',
  description: 'A change to an organization, its members, invitations or integrations, recorded in the same transaction as the change.',
  collectionPath: '/organizations/:organizationId/audit_events',
  linkedFrom: { property: 'audit_events', description: 'Every change to the organization, its members, invitations and integrations, newest first (owners only).' },
  summary: ['action', 'actor', 'target', 'at'],
  embeds: [partnerDescription],
  search: {
    action: { property: 'action', description: 'Only events of this action.', schema: { enum: [...AUDIT_ACTIONS] } },
  },
  properties: {
    id: { iri: 'schema:identifier', range: 'xsd:string', description: 'Identifier of the event (a UUID).', schema: { type: 'string', format: 'uuid' } },
    action: { range: 'xsd:string', description: `What happened: ${AUDIT_ACTIONS.join(', ')}.`, schema: { type: 'string', enum: [...AUDIT_ACTIONS] } },
    actor: { range: 'Partner', description: 'Who did it (id, email, name); left out when an operator did it with the CLI (see operator).', schema: { $ref: '#/$defs/EmbeddedPartner' }, absentWhen: 'When an operator did it with the CLI.' },
    operator: {
      range: 'xsd:string',
      description: 'Set instead of actor when an operator made the change with the linked-orgs CLI (such as clearing a locked-out ip_allowlist): the name it gave with --operator.',
      schema: { type: 'string' },
      absentWhen: 'Unless an operator did it with the CLI.',
    },
    target: { range: 'owl:Thing', description: 'What it was done to: the organization, member or invitation.', schema: { type: 'string', format: 'iri-reference' }, link: true },
    before: state('before'),
    after: state('after'),
    at: { iri: 'schema:startTime', range: 'xsd:dateTime', description: 'When it happened (ISO 8601, UTC).', schema: { type: 'string', format: 'date-time' }, jsonld: { '@type': 'xsd:dateTime' } },
  },
  operations: {
    collection: {
      GET: { title: "Read the organization's audit trail, newest first (owners)", scope: 'organization:read', returns: 'hydra:Collection', status: 200, possibleStatus: [200, 403, 404] },
    },
    item: {
      GET: { title: 'Read one audit event (owners)', scope: 'organization:read', returns: 'AuditEvent', status: 200, possibleStatus: [200, 403, 404] },
    },
  },
};
