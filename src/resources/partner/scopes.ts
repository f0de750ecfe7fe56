import { AppError } from '../../problems/app-error.js';

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

/** The RFC 6750 challenge every refusal of a token starts with. */
export const BEARER_CHALLENGE = 'Bearer realm="linked-orgs"';

/** 403 naming the scope the token lacks, with the RFC 6750 challenge that names it too. */
export function insufficientScope(scope: Scope, tokenScopes: readonly Scope[]): AppError {
  return new AppError('insufficient-scope', `This operation needs a token with the ${scope} scope; this token has ${tokenScopes.join(', ')}.`, {
    headers: { 'WWW-Authenticate': `${BEARER_CHALLENGE}, error="insufficient_scope", scope="${scope}"` },
  });
}
