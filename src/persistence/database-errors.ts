/** PostgreSQL SQLSTATEs that mean "the database cannot serve now", not "this request is wrong". */
const UNAVAILABLE_STATES = new Set([
  '08000', '08001', '08003', '08004', '08006', // connection exceptions
  '53300', // too many connections
  '57014', // statement cancelled by statement_timeout
  '57P01', '57P02', '57P03', // terminated by an administrator, crash shutdown, cannot connect now
]);

const UNAVAILABLE_SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

// node-postgres reports a lost or unobtainable connection with plain messages.
const UNAVAILABLE_MESSAGES = [/Connection terminated/i, /timeout exceeded when trying to connect/i, /connection error/i];

/** True when `error` says the database is away or overloaded: the request may succeed if retried later. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (UNAVAILABLE_STATES.has(code) || UNAVAILABLE_SOCKET_ERRORS.has(code)) return true;
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
