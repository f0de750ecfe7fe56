import type { Database } from '../../persistence/database.js';
import type { PageEdges } from '../../persistence/keyset.js';
import { isUuid } from '../../persistence/values.js';
import { notFound } from '../../problems/app-error.js';
import type { Caller } from '../partner/partner-use-cases.js';
import { sequenceEvents } from './event-sequencer.js';
import { eventRepository, type EventFilter, type EventWindow } from './event-repository.js';
import type { EventRow } from './event.entity.js';
import { visibleTo } from './event-visibility.js';

/** The caller's events, oldest first: a page and the cursors of its ends. */
export async function listEvents(db: Database, caller: Caller, filter: EventFilter, window: EventWindow & { page: number }): Promise<{ items: EventRow[]; total: number; edges: PageEdges }> {
  // An id that is no UUID names no organization: nothing to show (and nothing for PostgreSQL to refuse).
  if (filter.organizationId && !isUuid(filter.organizationId)) return { items: [], total: 0, edges: { hasNext: false, hasPrevious: window.page > 1 } };
  // What has committed is in the feed now, not after the next delivery pass.
  await sequenceEvents(db);
  const visible = visibleTo(caller.id, caller.scopes);
  const [rows, total] = await Promise.all([eventRepository.window(db, visible, filter, window), eventRepository.count(db, visible, filter)]);
  const items = window.before ? rows.slice(-window.limit) : rows.slice(0, window.limit);
  const more = rows.length > window.limit;
  const cursor = (e: EventRow | undefined) => e && ([String(e.sequence), e.id] as [string, string]);
  const edges: PageEdges = {
    first: cursor(items[0]),
    last: cursor(items.at(-1)),
    // A page with events always links on, to where a poller resumes (an empty page, until more commit).
    hasNext: window.before ? true : more || items.length > 0,
    hasPrevious: window.before ? more : Boolean(window.after) || window.page > 1,
  };
  return { items, total, edges };
}

export async function getEvent(db: Database, caller: Caller, id: string): Promise<EventRow> {
  if (isUuid(id)) await sequenceEvents(db);
  const event = isUuid(id) ? await eventRepository.find(db, visibleTo(caller.id, caller.scopes), id) : undefined;
  if (!event) throw notFound('event');
  return event;
}
