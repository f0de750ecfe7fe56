import { randomUUID } from 'node:crypto';
import { AppError } from '../../problems/app-error.js';
import type { Database } from '../../persistence/database.js';
import { isUniqueViolation } from '../../persistence/database-errors.js';
import { isUuid, now } from '../../persistence/values.js';
import { emailKey, isEmail, normalizeEmail } from './email.js';
import { partnerRepository, type Partner, type TokenSummary } from './partner-repository.js';
import { parseScopes, SCOPES, type Scope } from './scopes.js';
import { tokenCache } from './token-cache.js';
import { noteTokenUse } from './token-last-use.js';
import { generateToken, hashesEqual, hashToken, looksLikeToken } from './tokens.js';

export interface IssuedToken {
  id: string;
  token: string;
  scopes: Scope[];
  expires_at: string | null;
}

export interface TokenOptions {
  expiresInDays?: number;
  /** Every scope when not given. */
  scopes?: readonly Scope[];
}

/** A partner as authenticated by one of its tokens: what the token may do travels with it. */
export interface Caller extends Partner {
  scopes: Scope[];
  /** The token used: rate limits count per credential. */
  tokenId: string;
  /** The client address of this request (req.ip), set per request by identifyCaller; never cached with the token. */
  address?: string;
}

async function issue(db: Database, partnerId: string, options: TokenOptions = {}): Promise<IssuedToken> {
  const token = generateToken();
  const createdAt = now();
  const expiresAt = options.expiresInDays ? new Date(Date.now() + options.expiresInDays * 86_400_000).toISOString() : null;
  const scopes = SCOPES.filter((s) => (options.scopes ?? SCOPES).includes(s));
  if (scopes.length === 0) throw new AppError('validation-failed', `A token needs at least one scope: ${SCOPES.join(', ')}.`);
  const id = randomUUID();
  await db.transaction((tx) =>
    partnerRepository.insertToken(tx, { id, partner_id: partnerId, token_hash: hashToken(token), created_at: createdAt, expires_at: expiresAt, revoked_at: null, scopes: scopes.join(' ') }),
  );
  return { id, token, scopes, expires_at: expiresAt };
}

/** Creates a partner and its first token; the token is returned this once and stored only hashed. */
export async function createPartner(db: Database, input: { email: string; name: string }): Promise<Partner & { token: string; token_id: string }> {
  const email = normalizeEmail(input.email);
  const name = input.name.trim();
  if (!isEmail(email)) throw new AppError('validation-failed', `"${input.email}" is not a valid email address.`);
  if (!name || name.length > 200) throw new AppError('validation-failed', 'A partner name needs 1 to 200 characters.');
  const partner = { id: randomUUID(), email, name };
  try {
    await db.transaction((tx) => partnerRepository.insert(tx, { ...partner, email_key: emailKey(email), created_at: now() }));
  } catch (error) {
    if (isUniqueViolation(error, 'email_key')) throw new AppError('conflict', `A partner with the email ${email} already exists.`);
    throw error;
  }
  const { id: tokenId, token } = await issue(db, partner.id);
  return { ...partner, token, token_id: tokenId };
}

async function partnerWithEmail(db: Database, email: string): Promise<Partner> {
  const partner = await partnerRepository.findByEmailKey(db, emailKey(email));
  if (!partner) throw new AppError('not-found', `No partner has the email ${email}.`);
  return partner;
}

export async function issueToken(db: Database, email: string, options: TokenOptions = {}): Promise<IssuedToken & { partner: Partner }> {
  const partner = await partnerWithEmail(db, email);
  return { ...(await issue(db, partner.id, options)), partner };
}

/** A partner's tokens, live or not, without their secrets: what may be revoked, and what is idle. */
export async function listTokens(db: Database, email: string): Promise<{ partner: Partner; tokens: TokenSummary[] }> {
  const partner = await partnerWithEmail(db, email);
  return { partner, tokens: await partnerRepository.listTokens(db, partner.id) };
}

export async function revokeToken(db: Database, tokenId: string): Promise<void> {
  const revoked = isUuid(tokenId) && (await db.transaction((tx) => partnerRepository.revokeToken(tx, tokenId, now())));
  if (!revoked) throw new AppError('not-found', `No live token has the id ${tokenId}.`);
  tokenCache.forgetToken(tokenId);
}

/** The partner a presented token belongs to, with the token's scopes, or undefined for an unknown, revoked or expired token. */
export async function authenticate(db: Database, presented: string): Promise<Caller | undefined> {
  if (!looksLikeToken(presented)) return undefined;
  const hash = hashToken(presented);
  const cached = tokenCache.get(hash);
  if (cached) return cached.caller;
  const record = await partnerRepository.findLiveToken(db, hash);
  if (!record || !hashesEqual(record.hash, hash)) {
    tokenCache.set(hash, undefined);
    return undefined;
  }
  const expiresAt = record.expiresAt ? Date.parse(record.expiresAt) : Infinity;
  const caller = { ...record.partner, scopes: parseScopes(record.scopes), tokenId: record.id };
  tokenCache.set(hash, caller, expiresAt);
  if (expiresAt <= Date.now()) return undefined;
  noteTokenUse(db, record);
  return caller;
}
