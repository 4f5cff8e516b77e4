import { randomBytes } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent.js';

/** An instant as the API writes every one (Date#toJSON); the contract check holds answers to the same form. */
export { API_INSTANT } from '../../scripts/reliability/contract.js';

export interface SellerSession {
  cookie: string;
  email: string;
  password: string;
  sellerId: string;
  userId: string;
  storeSlug: string;
}

export function uniqueEmail(prefix = 'seller'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}@example.co.ke`;
}

/** The `token=...` pair from a Set-Cookie response, ready for a Cookie header. */
export function tokenCookie(setCookie: string[] | string | undefined): string {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const token = list.find((c) => c.startsWith('token='));
  if (!token) throw new Error('no token cookie in response');
  return token.split(';')[0];
}

/** A new shop and its OWNER, signed in, through the public API. */
export async function registerSeller(
  http: TestAgent,
  overrides: Partial<{ email: string; storeName: string; phone: string }> = {},
): Promise<SellerSession> {
  const email = overrides.email ?? uniqueEmail();
  const password = 'correct-horse-battery';
  const res = await http
    .post('/api/auth/register')
    .send({
      email,
      password,
      storeName: overrides.storeName ?? `Duka ${randomBytes(3).toString('hex')}`,
      phone: overrides.phone ?? '0712345678',
    })
    .expect(201);
  return {
    cookie: tokenCookie(res.headers['set-cookie']),
    email,
    password,
    sellerId: res.body.seller.id,
    userId: res.body.user.id,
    storeSlug: res.body.seller.storeSlug,
  };
}

/** Adds a member with `role` to the owner's shop and signs them in. */
export async function addMember(
  http: TestAgent,
  owner: SellerSession,
  role: 'OWNER' | 'MANAGER' | 'VIEWER',
): Promise<SellerSession> {
  const email = uniqueEmail(role.toLowerCase());
  const password = 'member-password-1';
  const created = await http
    .post('/api/staff')
    .set('Cookie', owner.cookie)
    .send({ email, role, password, name: `A ${role}` })
    .expect(201);
  const login = await http.post('/api/auth/login').send({ email, password }).expect(200);
  return {
    cookie: tokenCookie(login.headers['set-cookie']),
    email,
    password,
    sellerId: owner.sellerId,
    userId: created.body.id,
    storeSlug: owner.storeSlug,
  };
}
