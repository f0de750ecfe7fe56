import { randomUUID } from 'node:crypto';
import type { Statement } from '../../persistence/database.js';
import { entityColumns } from '../../persistence/entity-columns.js';
import type { AuditTarget } from '../audit/audit-event.entity.js';
import type { Change } from '../audit/audit-repository.js';
import { fillPath, itemPattern, type ResourceDescription } from '../description.js';
import { integrationDescription } from '../integration/integration.description.js';
import { invitationDescription } from '../invitation/invitation.description.js';
import { memberDescription } from '../member/member.description.js';
import { organizationDescription } from '../organization/organization.description.js';
import { eventEntity } from './event.entity.js';

export const EVENT_TARGETS: Record<AuditTarget, ResourceDescription> = { organization: organizationDescription, member: memberDescription, invitation: invitationDescription, integration: integrationDescription };

/** What an event is made of: the change as the audit trail records it, its action as the event's type. */
export type EventSource = Change & { type: string };

const columns = entityColumns(eventEntity);
const others = columns.names.filter((name) => name !== 'sequence');

/** The sequence is the counter's new value, read in the same statement, so a batch needs no round trip. */
const INSERT = `INSERT INTO event (sequence, ${others.join(', ')})
                VALUES ((SELECT last_sequence FROM event_sequence WHERE id = 1), ${others.map(() => '?').join(', ')})`;

/** Who stands in the organization as it is deleted, and how (see former_reader); the membership's or installation's id is the row's. */
const FORMER_READERS = `INSERT INTO former_reader (id, organization_id, partner_id, role, scopes)
                        SELECT id, organization_id, partner_id, role, NULL FROM membership WHERE organization_id = ?
                        UNION ALL SELECT id, organization_id, partner_id, NULL, scopes FROM integration WHERE organization_id = ?`;

export function targetIri(target: EventSource['target'], organizationId: string): string {
  return fillPath(itemPattern(EVENT_TARGETS[target.type]), { organizationId, id: target.id });
}

/**
 * The writes of one event, to run in the transaction of its change: take the next sequence
 * (the upsert locks the counter row until commit, so sequences follow commit order on
 * PostgreSQL as on SQLite), then the event, then for a deletion who stood in the organization. A deletion's
 * statements must run before the organization's memberships are deleted.
 */
export function eventStatements(source: EventSource): Statement[] {
  const id = randomUUID();
  const { organizationId, target } = source;
  const data = { '@id': targetIri(target, organizationId), '@type': EVENT_TARGETS[target.type].name, ...(source.after ?? source.before ?? {}) };
  const row = { id, organization_id: organizationId, type: source.type, category: target.type, target_id: target.id, occurred_at: source.at, data };
  const statements: Statement[] = [
    // An upsert: the counter row appears with the first event, so a new database holds no row (db:copy wants empty targets).
    { sql: 'INSERT INTO event_sequence (id, last_sequence) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET last_sequence = event_sequence.last_sequence + 1' },
    { sql: INSERT, params: others.map((name) => columns.toColumn(name, row[name as keyof typeof row])) },
  ];
  if (source.type === 'organization.deleted') statements.push({ sql: FORMER_READERS, params: [organizationId, organizationId] });
  return statements;
}
