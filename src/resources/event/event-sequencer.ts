import type { Database } from '../../persistence/database.js';

/** Events numbered per pass: a pass holds the counter row only as long as one UPDATE of this many rows. */
const PER_PASS = 1000;

/**
 * Numbers the events whose transactions have committed and that have no sequence yet (on
 * PostgreSQL, every event as written; see eventStatements), and returns how many it numbered.
 *
 * Why this keeps the feed's promise (a cursor never passes an event that becomes visible later):
 * numbers are given out only here, under the counter row's lock, to events already committed, and
 * each pass gives numbers above every number before it. An event that commits after a pass waits
 * for the next one and gets a greater number than anything a reader has seen. Per organization,
 * the order is the order of the changes: a change on an organization holds its row lock until it
 * commits, so the next change's event is written (takes its `arrival`) after the previous one
 * committed, and within a pass events are numbered by `arrival`. Numbers stay gap-free, as the
 * delivery worker's `delivered_through` cursor needs: the counter moves by exactly the rows numbered.
 *
 * Who calls it: every read of the feed, the delivery worker before each pass, and a webhook
 * registration before it reads where its endpoint starts. Several instances may call it at once;
 * they queue on the counter row for a moment and the second finds nothing left. When nothing
 * waits it is one indexed read (SQLite numbers as it writes, so there it only ever finds events
 * copied from PostgreSQL by `db:copy`).
 */
export async function sequenceEvents(db: Database): Promise<number> {
  if (!(await db.get('SELECT 1 AS waiting FROM event WHERE sequence IS NULL LIMIT 1'))) return 0;
  return db.transaction(async (tx) => {
    // The upsert takes the counter row's lock (and makes the row if this database has none yet).
    const counter = await tx.get<{ last_sequence: number | string }>(
      'INSERT INTO event_sequence (id, last_sequence) VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET last_sequence = event_sequence.last_sequence RETURNING last_sequence',
    );
    const last = Number(counter?.last_sequence ?? 0);
    // A statement of its own, after the lock: it sees every commit up to now, the previous pass's included.
    const { changes } = await tx.run(
      `UPDATE event SET sequence = numbered.n
         FROM (SELECT id, CAST(? AS BIGINT) + ROW_NUMBER() OVER (ORDER BY arrival, id) AS n FROM event WHERE sequence IS NULL ORDER BY arrival, id LIMIT ?) numbered
        WHERE event.id = numbered.id`,
      [last, PER_PASS],
    );
    if (changes > 0) await tx.run('UPDATE event_sequence SET last_sequence = ? WHERE id = 1', [last + changes]);
    return changes;
  });
}
