import { randomUUID } from 'node:crypto';
import type { Sql, Statement } from '../../persistence/database.js';
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
const others = columns.names.filter((name) => name !== 'sequence' && name !== 'arrival');

/** SQLite: the sequence is the counter's new value, read in the same statement, so a batch needs no round trip. */
const INSERT_NUMBERED = `INSERT INTO event (sequence, arrival, ${others.join(', ')})
                         VALUES ((SELECT last_sequence FROM event_sequence WHERE id = 1), NULL, ${others.map(() => '?').join(', ')})`;

/** PostgreSQL: no sequence yet, and the order of writing, which takes no lock (a sequence's nextval is never rolled back or waited for). */
const INSERT_WAITING = `INSERT INTO event (sequence, arrival, ${others.join(', ')})
                        VALUES (NULL, nextval('event_arrival'), ${others.map(() => '?').join(', ')})`;

/** SQLite's one writer commits in the order it writes: the next number now, under the counter row. */
const NEXT_SEQUENCE = 'INSERT INTO event_sequence (id, last_sequence) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET last_sequence = event_sequence.last_sequence + 1';

/** Who stands in the organization as it is deleted, and how (see former_reader); the membership's or installation's id is the row's. */
const FORMER_READERS = `INSERT INTO former_reader (id, organization_id, partner_id, role, scopes)
                        SELECT id, organization_id, partner_id, role, NULL FROM membership WHERE organization_id = ?
                        UNION ALL SELECT id, organization_id, partner_id, NULL, scopes FROM integration WHERE organization_id = ?`;

export function targetIri(target: EventSource['target'], organizationId: string): string {
  return fillPath(itemPattern(EVENT_TARGETS[target.type]), { organizationId, id: target.id });
}

/**
 * The writes of one event, to run in the transaction of its change: the event, then for a
 * deletion who stood in the organization (before the organization's memberships are deleted).
 * On SQLite the event takes the next sequence as it is written (an upsert, so the counter row
 * appears with the first event and a new database stays empty for db:copy). On PostgreSQL a
 * number taken in the transaction would have to be held until its commit, or a feed cursor could
 * pass an event that commits later with a smaller one; that lock serialized every writer's
 * commit, so there the sequencer numbers events once committed (event-sequencer.ts).
 */
export function eventStatements(source: EventSource, engine: Sql['engine']): Statement[] {
  const id = randomUUID();
  const { organizationId, target } = source;
  const data = { '@id': targetIri(target, organizationId), '@type': EVENT_TARGETS[target.type].name, ...(source.after ?? source.before ?? {}) };
  const row = { id, organization_id: organizationId, type: source.type, category: target.type, target_id: target.id, occurred_at: source.at, data };
  const params = others.map((name) => columns.toColumn(name, row[name as keyof typeof row]));
  const statements: Statement[] = engine === 'postgres' ? [{ sql: INSERT_WAITING, params }] : [{ sql: NEXT_SEQUENCE }, { sql: INSERT_NUMBERED, params }];
  if (source.type === 'organization.deleted') statements.push({ sql: FORMER_READERS, params: [organizationId, organizationId] });
  return statements;
}
