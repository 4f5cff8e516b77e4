/** A session token's claims. */
export interface JwtClaims {
  /** The user. */
  sub: string;
  /** The shop (seller id). */
  sid: string;
  /** The server-side session (sessions.id): logout revokes it. */
  jti: string;
}

/** How many verified tokens are remembered (a few per signed-in person: phones, API clients). */
const MAX_VERIFIED_TOKENS = 10_000;

type Verify = (token: string) => JwtClaims & { exp?: number };

/**
 * Session tokens already verified, with their claims and expiry: a seller's phone sends the same token with every
 * request, and checking its signature again each time was 5 % of an authenticated request's CPU. Only a token whose
 * signature and claims passed is kept, its expiry is checked on every use, and the session itself is still checked on
 * every request (SessionAuthenticator and its SessionCache), so a logout or a removed member is refused whatever is
 * kept here.
 */
export class VerifiedTokens {
  private readonly known = new Map<string, { claims: JwtClaims; expiresAt: number }>();

  constructor(
    private readonly verify: Verify,
    private readonly now: () => number = Date.now,
  ) {}

  /** The token's claims when its signature, algorithm, expiry and shape pass; null otherwise. */
  claims(token: string): JwtClaims | null {
    const known = this.known.get(token);
    if (known && known.expiresAt > this.now()) return known.claims;
    this.known.delete(token);
    let claims: JwtClaims & { exp?: number };
    try {
      claims = this.verify(token);
    } catch {
      return null;
    }
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || typeof claims.jti !== 'string') return null;
    if (typeof claims.exp === 'number') {
      // Bounded: a flood of valid tokens empties the map rather than growing it.
      if (this.known.size >= MAX_VERIFIED_TOKENS) this.known.clear();
      this.known.set(token, { claims, expiresAt: claims.exp * 1000 });
    }
    return claims;
  }
}
