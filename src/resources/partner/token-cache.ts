import type { Caller } from './partner-use-cases.js';

/**
 * What a token hash resolved to, for at most TOKEN_CACHE_MS: partners call all day with
 * the same token, and a database lookup per request would halve what an instance serves.
 * A revocation in this process takes effect at once; one made elsewhere (the CLI, another
 * instance) within TOKEN_CACHE_MS.
 */
export const TOKEN_CACHE_MS = 1_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  caller: Caller | undefined;
  /** When the token itself expires, if it does. */
  tokenExpiresAt: number;
  cachedUntil: number;
}

const entries = new Map<string, Entry>();

export const tokenCache = {
  get(hash: string, now = Date.now()): { caller: Caller | undefined } | undefined {
    const entry = entries.get(hash);
    if (!entry || entry.cachedUntil <= now) return undefined;
    return { caller: entry.tokenExpiresAt <= now ? undefined : entry.caller };
  },

  set(hash: string, caller: Caller | undefined, tokenExpiresAt = Infinity, now = Date.now()): void {
    if (entries.size >= MAX_ENTRIES) entries.clear(); // a flood of distinct tokens must not grow memory
    entries.set(hash, { caller, tokenExpiresAt, cachedUntil: now + TOKEN_CACHE_MS });
  },

  forgetToken(tokenId: string): void {
    for (const [hash, entry] of entries) if (entry.caller?.tokenId === tokenId) entries.delete(hash);
  },
};
