import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'lo_';

/** 256 random bits; the prefix lets secret scanners recognise a leaked token. */
export function generateToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

/** Tokens carry 256 bits of entropy, so a fast hash is enough: nothing to brute-force. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function hashesEqual(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

export function looksLikeToken(value: string): boolean {
  return value.startsWith(PREFIX) && value.length <= 200;
}
