const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The credential of an `Authorization: Bearer <token>` header, unverified; null for any other header or none. */
export function bearerToken(headers: { authorization?: string }): string | null {
  const header = headers.authorization;
  return (typeof header === 'string' && BEARER.exec(header)?.[1]) || null;
}
