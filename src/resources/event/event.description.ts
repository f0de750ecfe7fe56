import { AUDIT_ACTIONS } from '../audit/audit.description.js';
import type { ResourceDescription } from '../description.js';

/** A change to an organization as partners consume it: pulled from /api/events, pushed to webhook endpoints. */
export const eventDescription: ResourceDescription = {
  name: 'Event',
  title: 'Event',
  description:
    'A change to an organization, its members, invitations or integrations, written in the same transaction as the change: an event exists if and only if its change committed. Readers see the events of organizations they belong to or are installed into, of the kinds they may read there.',
  collectionPath: '/events',
  summary: ['type', 'organization', 'occurred_at'],
  search: {
    type: { property: 'type', description: 'Only events of this type.', schema: { enum: [...AUDIT_ACTIONS] } },
    organization: { property: 'organization', description: "Only the events of this organization (its id, a UUID).", schema: { type: 'string', minLength: 1, maxLength: 64 } },
  },
  properties: {
    id: { iri: 'schema:identifier', range: 'xsd:string', description: 'Identifier of the event (a UUID); webhook deliveries send it as webhook-id.', schema: { type: 'string', format: 'uuid' } },
    sequence: { range: 'xsd:integer', description: 'Position of the event in commit order: a later commit has a greater sequence.', schema: { type: 'integer', minimum: 1 } },
    type: { range: 'xsd:string', description: `What happened: ${AUDIT_ACTIONS.join(', ')}.`, schema: { type: 'string', enum: [...AUDIT_ACTIONS] } },
    organization: { range: 'Organization', description: 'The organization the change belongs to.', schema: { type: 'string', format: 'iri-reference' }, link: true },
    occurred_at: { iri: 'schema:startTime', range: 'xsd:dateTime', description: 'When the change was made (ISO 8601, UTC).', schema: { type: 'string', format: 'date-time' }, jsonld: { '@type': 'xsd:dateTime' } },
    data: {
      range: 'rdf:JSON',
      description: 'The changed resource as a reader could read it then: its @id and @type and the values the change set (or, for a removal or deletion, those it had).',
      schema: { type: 'object' },
      jsonld: { '@type': '@json' },
    },
  },
  operations: {
    collection: {
      GET: { title: "Read the caller's events, oldest first (resume from a cursor)", returns: 'hydra:Collection', cursors: true, status: 200, possibleStatus: [200] },
    },
    item: {
      GET: { title: 'Read one event', returns: 'Event', status: 200, possibleStatus: [200, 404] },
    },
  },
};
