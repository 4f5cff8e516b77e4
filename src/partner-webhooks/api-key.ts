import { createHash, randomBytes } from 'node:crypto';

/** A partner API key: `skp_` + 32 random bytes. Shown once; we keep only its SHA-256. */
export function newApiKey(): string {
  return `skp_${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
