import type { KeptValues } from './database.js';

/** Entries kept at most; past it, the store starts over. */
const MAX_ENTRIES = 500;
/** What the store may hold in all (about 8 MB: some 200 pages of 30 organizations); past it, it starts over. */
const MAX_KEPT_BYTES = 8 * 1024 * 1024;

/**
 * Values built from reads (a serialized representation, a caller's standing), kept until the
 * database has committed anything. How that is known is the engine's: SQLite's
 * `PRAGMA data_version` (sqlite-read-cache.ts), PostgreSQL's current snapshot
 * (postgres-kept-values.ts). Each names the database's state with a *generation*; the engine
 * empties the store when it sees a new one, and a view handed out at one generation gets and
 * sets nothing once the engine has seen another, so a value built from reads made before a
 * commit is never stored after the engine learned of it.
 */
export function keptValuesStore() {
  const entries = new Map<string, unknown>();
  let bytes = 0;
  const clear = () => {
    entries.clear();
    bytes = 0;
  };
  return {
    clear,
    /** A view bound to generation `at`; `current()` is the generation the engine saw last. */
    view<G>(at: G, current: () => G): KeptValues {
      return {
        get: (key) => (current() === at ? entries.get(key) : undefined),
        set(key, value, size) {
          if (current() !== at || size > MAX_KEPT_BYTES) return;
          if (entries.size >= MAX_ENTRIES || bytes + size > MAX_KEPT_BYTES) clear();
          entries.set(key, value);
          bytes += size;
        },
      };
    },
  };
}
