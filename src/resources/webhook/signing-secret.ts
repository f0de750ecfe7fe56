import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../../problems/app-error.js';

/** A Standard Webhooks signing secret: `whsec_` and 24 random bytes in base64, as its libraries expect. */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/**
 * AES-256-GCM with the key from WEBHOOK_SECRET_KEY: a copy of the database alone cannot sign.
 * Stored as `v1.<iv>.<tag>.<ciphertext>` (base64url); the tag makes a tampered value fail to open.
 */
export function sealSecret(key: Buffer, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), sealed].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

export function openSecret(key: Buffer, stored: string): string {
  const [version, iv, tag, sealed] = stored.split('.');
  if (version !== 'v1') throw new Error('a signing secret sealed in an unknown form');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
}

/** Without a key nothing could be stored but plaintext: registration (and rotation) is refused instead. */
export function requireKey(key: Buffer | undefined): Buffer {
  if (!key) throw new AppError('webhooks-not-configured', 'This service has no WEBHOOK_SECRET_KEY, so it cannot store signing secrets safely: the operator must set one before webhook endpoints can be registered.');
  return key;
}
