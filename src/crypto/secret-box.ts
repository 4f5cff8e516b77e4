import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v2';
const LEGACY_VERSION = 'v1';
const TAG_BYTES = 16;
const IV_BYTES = 12;

/** The row a sealed secret belongs to, bound into its ciphertext: `webhook_endpoints:wh_…`. */
export const secretRow = (table: string, id: string): string => `${table}:${id}`;

/**
 * AES-256-GCM for secrets we must reuse (webhook signing secrets, Daraja credentials, M-Pesa callback tokens):
 * `v2:<iv>:<tag>:<ciphertext>`, base64url parts. The row the secret belongs to is the associated data, so a value
 * copied into another row does not decrypt; a tag shorter than 16 bytes is refused (GCM would accept a truncated one).
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
  }

  seal(plaintext: string, row: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(row, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), data]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join(':');
  }

  open(sealed: string, row: string): string {
    return this.decrypt(sealed, VERSION, row);
  }

  /** Only for the migration that re-seals values written before rows were bound (`v1`, no associated data). */
  openLegacy(sealed: string): string {
    return this.decrypt(sealed, LEGACY_VERSION, undefined);
  }

  static isLegacy(sealed: string): boolean {
    return sealed.startsWith(`${LEGACY_VERSION}:`);
  }

  private decrypt(sealed: string, expected: string, row: string | undefined): string {
    const [version, ivPart, tagPart, data, extra] = sealed.split(':');
    if (version !== expected || !ivPart || !tagPart || data === undefined || extra !== undefined)
      throw new Error('not a sealed secret');
    const iv = Buffer.from(ivPart, 'base64url');
    const tag = Buffer.from(tagPart, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
      throw new Error('sealed secret has a wrong IV or tag length');
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    if (row !== undefined) decipher.setAAD(Buffer.from(row, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}
