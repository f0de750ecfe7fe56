/** PostgreSQL SQLSTATE classes that mean "the database cannot serve now", not "this request is wrong". */
const UNAVAILABLE_CLASSES = [
  '08', // connection exceptions
  '53', // insufficient resources: too many connections, out of memory, disk full
];

/** Single SQLSTATEs of the same kind, in other classes. */
const UNAVAILABLE_STATES = new Set([
  '57014', // statement cancelled by statement_timeout
  '57P01', '57P02', '57P03', // terminated by an administrator, crash shutdown, cannot connect now
  '25P03', // our session was idle in a transaction for too long and the server ended it
]);

const UNAVAILABLE_SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

// node-postgres reports a lost, stuck or unobtainable connection with plain messages, no code:
// "Connection terminated unexpectedly", "Connection terminated due to connection timeout",
// "timeout exceeded when trying to connect" (no free pool slot in time), "Query read timeout"
// (our client-side query timeout), "Client has encountered a connection error and is not queryable".
const UNAVAILABLE_MESSAGES = [/Connection terminated/i, /timeout exceeded when trying to connect/i, /connection error/i, /Query read timeout/i, /is not queryable/i];

/**
 * The connection was lost after COMMIT was sent and before its answer came: the transaction
 * may have been committed or not, and only reading the data again can tell.
 */
export class CommitOutcomeUnknown extends Error {
  constructor(cause: unknown) {
    super('The connection to the database was lost while committing: the outcome is unknown', { cause });
    this.name = 'CommitOutcomeUnknown';
  }
}

/** True when `error` says the database is away or overloaded: the request may succeed if retried later. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (e instanceof CommitOutcomeUnknown) return true;
  const code = typeof e.code === 'string' ? e.code : '';
  if (UNAVAILABLE_STATES.has(code) || UNAVAILABLE_SOCKET_ERRORS.has(code)) return true;
  if (code.length === 5 && UNAVAILABLE_CLASSES.includes(code.slice(0, 2))) return true;
  if (code === 'SQLITE_BUSY') return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return !code && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message));
}

/** True when `error` is a unique-constraint violation involving `column`. */
export function isUniqueViolation(error: unknown, column: string): boolean {
  const e = error as { code?: string; message?: string; detail?: string };
  if (e?.code === 'SQLITE_CONSTRAINT_UNIQUE') return (e.message ?? '').includes(`.${column}`);
  if (e?.code === '23505') {
    // "Key (organization_id, pending_key)=(…) already exists."
    const columns = /^Key \(([^)]*)\)=/.exec(e.detail ?? '')?.[1].split(',').map((c) => c.trim());
    return columns?.includes(column) ?? false;
  }
  return false;
}
