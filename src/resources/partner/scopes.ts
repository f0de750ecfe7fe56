/** What a token may be used for, as partners know them from other organization APIs. */
export const SCOPES = ['organization:read', 'organization:write', 'member:read', 'member:write', 'invitation:read', 'invitation:write'] as const;
export type Scope = (typeof SCOPES)[number];

/** Tokens carry their scopes as one space-separated string, as OAuth writes them. */
export const ALL_SCOPES = SCOPES.join(' ');

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

export function parseScopes(stored: string): Scope[] {
  return stored.split(' ').filter(isScope);
}
