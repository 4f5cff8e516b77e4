import { createCipheriv, randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box.js';

describe(SecretBox.name, () => {
  const key = randomBytes(32);
  const sut = new SecretBox(key);
  const row = 'webhook_endpoints:wh_1';

  it('round-trips and never stores the plaintext', () => {
    const sealed = sut.seal('whsec_c2VjcmV0', row);
    expect(sealed).not.toContain('whsec_');
    expect(sealed.startsWith('v2:')).toBe(true);
    expect(sut.open(sealed, row)).toBe('whsec_c2VjcmV0');
  });

  it('uses a fresh IV each time', () => {
    expect(sut.seal('same', row)).not.toBe(sut.seal('same', row));
  });

  it('refuses a tampered value or another key', () => {
    const sealed = sut.seal('secret', row);
    const parts = sealed.split(':');
    parts[3] = Buffer.from('other!').toString('base64url');
    expect(() => sut.open(parts.join(':'), row)).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, row)).toThrow();
  });

  it('refuses a value copied into another row', () => {
    const sealed = sut.seal('secret', row);
    expect(() => sut.open(sealed, 'webhook_endpoints:wh_2')).toThrow();
  });

  it('refuses a truncated tag', () => {
    const parts = sut.seal('secret', row).split(':');
    parts[2] = Buffer.from(parts[2], 'base64url').subarray(0, 4).toString('base64url');
    expect(() => sut.open(parts.join(':'), row)).toThrow(/tag length/);
  });

  it('opens a legacy v1 value only through openLegacy', () => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const data = Buffer.concat([cipher.update('old', 'utf8'), cipher.final()]);
    const legacy = ['v1', iv, cipher.getAuthTag(), data]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join(':');
    expect(SecretBox.isLegacy(legacy)).toBe(true);
    expect(sut.openLegacy(legacy)).toBe('old');
    expect(() => sut.open(legacy, row)).toThrow();
  });
});
