import type { KeptValues } from './database.js';
import { keptValuesStore } from './kept-values.js';

/**
 * The snapshot a statement starting now would read with, as text (`xmin:xmax:xip`: the oldest
 * transaction still running, one past the newest that has ended, those in between still running).
 * Two equal snapshots see exactly the same committed transactions, and the snapshot never comes
 * back to an earlier value: xmin and xmax only grow, and for a given xmax the in-progress list
 * only shrinks (a transaction that starts later has a larger id). So "the same snapshot as when
 * this was built" means "no transaction has ended since", in any database of the cluster, by
 * anyone (another instance, the CLI, an operator's psql): PostgreSQL's counterpart of SQLite's
 * `PRAGMA data_version`. Read-only transactions take no id and change nothing.
 */
export const CURRENT_SNAPSHOT = 'SELECT pg_current_snapshot()::text AS snapshot';

const ignore = () => undefined;

/**
 * Values built from reads, kept on PostgreSQL until anything is committed. Each request that
 * would use them first reads the current snapshot (a statement that reads no table); when it
 * differs from the one they were kept under, they go. A value is kept under the snapshot read
 * before the reads it was built from, which those reads see or follow: if they saw a later commit,
 * the snapshot has moved on and never comes back, so the value is never answered.
 *
 * One check serves every request that asked before it started: a request joins the check in
 * flight only if it asked before that check was sent, else it waits for the next one, sent when
 * the one in flight returns. So an answer always reflects every commit made before its request
 * asked (a client reads its own writes, on any instance), and under load the checks cost one
 * round trip per round trip's time instead of one per request.
 *
 * Why: a GET of one organization on PostgreSQL spent most of its time on its one statement (the
 * standing with the embedded members: the driver's write, the row parsing, the pool) and on
 * building the same representation again, where SQLite, which keeps both between commits,
 * served more than twice as many (issue 17).
 */
export function postgresKeptValues(readSnapshot: () => Promise<string>) {
  const store = keptValuesStore();
  let seen: string | undefined;
  let inFlight: Promise<string> | undefined;
  let next: Promise<string> | undefined;

  const send = (): Promise<string> => {
    const check: Promise<string> = readSnapshot().finally(() => {
      if (inFlight === check) inFlight = undefined;
    });
    inFlight = check;
    return check;
  };

  /** A snapshot read after this call: the one in flight was sent before it, so it waits for the next. */
  const snapshotFromNow = (): Promise<string> => {
    if (!inFlight) return send();
    next ??= inFlight.then(ignore, ignore).then(() => {
      next = undefined;
      return send();
    });
    return next;
  };

  return async function keptValues(): Promise<KeptValues> {
    const snapshot = await snapshotFromNow();
    // Checks return in the order they were sent (one at a time), so a newer `seen` is never replaced by an older one.
    if (snapshot !== seen) {
      store.clear();
      seen = snapshot;
    }
    return store.view(snapshot, () => seen);
  };
}
