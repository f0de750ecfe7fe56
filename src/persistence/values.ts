/** PostgreSQL hands back Date objects and parsed JSON; SQLite, the text we stored. */
export function iso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

export function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function bool(value: unknown): boolean {
  return value === true || value === 1;
}

export const now = (): string => new Date().toISOString();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Ids are checked before they reach SQL: PostgreSQL refuses malformed UUIDs with an error.
 * Only the canonical lower-case form is an id: PostgreSQL's uuid type would also match an
 * upper-case one where SQLite's text column does not, and both engines must agree.
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
