import type { Database } from '../../persistence/database.js';
import { partnerRepository } from './partner-repository.js';

/**
 * How fresh `last_used_at` is kept. It is written only when a token is looked up in the
 * database (a token-cache miss, at most once per TOKEN_CACHE_MS per token and instance) and
 * the stored value is older than this: a token in constant use costs one write a minute per
 * instance instead of one per request, and requests answered from the cache cost nothing.
 */
export const LAST_USE_PRECISION_MS = 60_000;
const MAX_TRACKED = 10_000;

/** Tokens this process wrote a last use for, and when: requests that miss the cache together write once. */
const written = new Map<string, number>();

const isRecent = (at: number | undefined, now: number) => at !== undefined && at > now - LAST_USE_PRECISION_MS;

/**
 * Notes that a token authenticated a request. The request does not wait for the write (a batch,
 * which SQLite commits on its writer thread); a failed write is forgotten and retried on a
 * later use, since a last use is information for people, never a reason to refuse a request.
 */
export function noteTokenUse(db: Database, token: { id: string; lastUsedAt: string | null }, now = Date.now()): void {
  const stored = token.lastUsedAt === null ? undefined : Date.parse(token.lastUsedAt);
  if (isRecent(stored, now) || isRecent(written.get(token.id), now)) return;
  if (written.size >= MAX_TRACKED) written.clear();
  written.set(token.id, now);
  db.batch([partnerRepository.recordTokenUse(new Date(now).toISOString(), token.id)]).catch(() => written.delete(token.id));
}
