import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box.js';

describe(SecretBox.name, () => {
  const sut = new SecretBox(randomBytes(32));

  it('round-trips and never stores the plaintext', () => {
    const sealed = sut.seal('whsec_c2VjcmV0');
    expect(sealed).not.toContain('whsec_');
    expect(sut.open(sealed)).toBe('whsec_c2VjcmV0');
  });

  it('uses a fresh IV each time', () => {
    expect(sut.seal('same')).not.toBe(sut.seal('same'));
  });

  it('refuses a tampered value or another key', () => {
    const sealed = sut.seal('secret');
    const parts = sealed.split(':');
    parts[3] = Buffer.from('other!').toString('base64url');
    expect(() => sut.open(parts.join(':'))).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
  });
});
