import { JwtService } from '@nestjs/jwt';
import { type JwtClaims, VerifiedTokens } from './verified-tokens.js';

describe('VerifiedTokens', () => {
  const jwt = new JwtService({ secret: 'a-test-secret-long-enough-for-hs256-0123' });
  const claims = { sub: 'usr_1', sid: 'sel_1', jti: 'ses_1' };
  let now = Date.now();
  let verifications = 0;
  const tokens = new VerifiedTokens(
    // The verifier reads the same clock as the memory.
    (t) => (
      verifications++,
      jwt.verify<JwtClaims & { exp?: number } & object>(t, {
        algorithms: ['HS256'],
        clockTimestamp: Math.floor(now / 1000),
      })
    ),
    () => now,
  );

  it('verifies a token once, then answers from memory until it expires', () => {
    const token = jwt.sign(claims, { expiresIn: 60 });
    expect(tokens.claims(token)).toMatchObject(claims);
    expect(tokens.claims(token)).toMatchObject(claims);
    expect(verifications).toBe(1);
    // Past its expiry it is verified again, and refused.
    now += 61_000;
    expect(tokens.claims(token)).toBeNull();
    expect(verifications).toBe(2);
    now = Date.now();
  });

  it('never keeps a forged, tampered or malformed token', () => {
    const token = jwt.sign(claims, { expiresIn: 60 });
    const forged = new JwtService({ secret: 'another-secret-long-enough-0123456789' }).sign(claims, { expiresIn: 60 });
    const [h, , sig] = token.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'usr_2' })).toString('base64url')}.${sig}`;
    const before = verifications;
    for (const bad of [forged, tampered, 'not-a-token', jwt.sign({ sub: 'usr_1' }, { expiresIn: 60 })]) {
      expect(tokens.claims(bad)).toBeNull();
      expect(tokens.claims(bad)).toBeNull();
    }
    // Each refusal was checked again the second time: nothing refused is remembered.
    expect(verifications - before).toBe(8);
  });
});
