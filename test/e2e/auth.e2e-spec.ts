import { EventEmitter2 } from '@nestjs/event-emitter';
import type { DomainEventEnvelope } from '../../src/database/unit-of-work.js';
import { DOMAIN_EVENT_CHANNEL } from '../../src/events/domain-event.js';
import { bootApp, type TestApp } from '../support/test-app.js';
import { addMember, API_INSTANT, registerSeller, tokenCookie, uniqueEmail } from '../support/factories.js';

describe('Auth (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(() => t.close());

  describe('POST /api/auth/register', () => {
    it('creates the shop and its OWNER, normalises phone and slug, and signs in', async () => {
      const email = uniqueEmail();
      const res = await t.http
        .post('/api/auth/register')
        .send({
          email: email.toUpperCase(),
          password: 'long-enough-pw',
          storeName: "Mama Ngũgĩ's Kiosk",
          phone: '0712 345 678',
        })
        .expect(201);
      expect(res.body.seller).toMatchObject({
        storeName: "Mama Ngũgĩ's Kiosk",
        storeSlug: 'mama-ngugis-kiosk',
        phone: '+254712345678',
      });
      expect(res.body.seller.id).toMatch(/^sel_[0-9a-z]{26}$/);
      expect(res.body.user).toMatchObject({ email, role: 'OWNER' });
      expect(res.body.user.id).toMatch(/^usr_/);
      expect(JSON.stringify(res.body)).not.toMatch(/password/i);
      const cookie = tokenCookie(res.headers['set-cookie']);
      const me = await t.http.get('/api/auth/me').set('Cookie', cookie).expect(200);
      // The same answer as the sign-up's, instants included (ISO 8601, UTC, milliseconds).
      expect(me.body).toEqual(res.body);
      expect(me.body.user.createdAt).toMatch(API_INSTANT);
      expect(me.body.seller.createdAt).toMatch(API_INSTANT);
    });

    it('gives a second shop with the same name its own slug', async () => {
      const a = await t.http
        .post('/api/auth/register')
        .send({ email: uniqueEmail(), password: 'long-enough-pw', storeName: 'Twin Duka', phone: '0712345678' })
        .expect(201);
      const b = await t.http
        .post('/api/auth/register')
        .send({ email: uniqueEmail(), password: 'long-enough-pw', storeName: 'Twin Duka', phone: '0712345678' })
        .expect(201);
      expect(a.body.seller.storeSlug).toBe('twin-duka');
      expect(b.body.seller.storeSlug).toBe('twin-duka-2');
    });

    it('rejects a duplicate email whatever its case with 409 CONFLICT', async () => {
      const s = await registerSeller(t.http);
      const res = await t.http
        .post('/api/auth/register')
        .send({ email: s.email.toUpperCase(), password: 'long-enough-pw', storeName: 'Other', phone: '0712345678' })
        .expect(409);
      expect(res.body).toEqual({
        success: false,
        code: 'CONFLICT',
        message: 'An account with this email already exists',
        statusCode: 409,
      });
    });

    it('rejects a short password, a bad phone and unknown fields with 400 and field errors', async () => {
      const short = await t.http
        .post('/api/auth/register')
        .send({ email: uniqueEmail(), password: 'short', storeName: 'Shop', phone: '0712345678' })
        .expect(400);
      expect(short.body).toMatchObject({ success: false, code: 'VALIDATION_ERROR', statusCode: 400 });
      expect(short.body.errors).toContainEqual({
        field: 'password',
        message: 'password must be at least 8 characters',
      });

      const phone = await t.http
        .post('/api/auth/register')
        .send({ email: uniqueEmail(), password: 'long-enough-pw', storeName: 'Shop', phone: '12345' })
        .expect(400);
      expect(phone.body.errors).toEqual([expect.objectContaining({ field: 'phone' })]);

      const extra = await t.http
        .post('/api/auth/register')
        .send({
          email: uniqueEmail(),
          password: 'long-enough-pw',
          storeName: 'Shop',
          phone: '0712345678',
          isAdmin: true,
        })
        .expect(400);
      expect(extra.body.errors).toContainEqual({ field: 'isAdmin', message: 'isAdmin is not an allowed field' });
    });
  });

  describe('POST /api/auth/login and logout', () => {
    it("sets the reference's cookie with HttpOnly, Secure, SameSite=Lax, Path=/ and a Max-Age", async () => {
      const s = await registerSeller(t.http);
      const res = await t.http.post('/api/auth/login').send({ email: s.email, password: s.password }).expect(200);
      const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('token='))!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/Secure/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).toMatch(/Path=\//);
      expect(cookie).toMatch(/Max-Age=604800/);
      expect(res.body.user.email).toBe(s.email);
    });

    it('answers the same 401 for a wrong password and an unknown email', async () => {
      const s = await registerSeller(t.http);
      const wrong = await t.http
        .post('/api/auth/login')
        .send({ email: s.email, password: 'not-the-password' })
        .expect(401);
      const unknown = await t.http
        .post('/api/auth/login')
        .send({ email: uniqueEmail(), password: 'not-the-password' })
        .expect(401);
      expect(wrong.body).toEqual({
        success: false,
        code: 'UNAUTHORIZED',
        message: 'Invalid email or password',
        statusCode: 401,
      });
      expect(unknown.body).toEqual(wrong.body);
    });

    it('accepts the JWT as a Bearer header too, and clears the cookie on logout', async () => {
      const s = await registerSeller(t.http);
      const jwt = s.cookie.slice('token='.length);
      await t.http.get('/api/auth/me').set('Authorization', `Bearer ${jwt}`).expect(200);
      const out = await t.http.post('/api/auth/logout').set('Cookie', s.cookie).expect(204);
      expect(String(out.headers['set-cookie'])).toMatch(/token=;.*Expires=Thu, 01 Jan 1970/);
    });

    it('refuses a missing, forged or tampered token with 401', async () => {
      await t.http.get('/api/auth/me').expect(401);
      await t.http.get('/api/auth/me').set('Cookie', 'token=not-a-jwt').expect(401);
      const s = await registerSeller(t.http);
      const [h, p, sig] = s.cookie.slice('token='.length).split('.');
      const res = await t.http
        .get('/api/auth/me')
        .set('Cookie', `token=${h}.${p}.${sig.slice(0, -2)}xx`)
        .expect(401);
      expect(res.body.code).toBe('UNAUTHORIZED');
    });
  });

  describe('Staff and roles', () => {
    it('lets the OWNER add, list, change and remove members, and emits staff events', async () => {
      const seen: { name: string; sellerId: string; data: unknown }[] = [];
      t.app.get(EventEmitter2).on(DOMAIN_EVENT_CHANNEL, ({ event }: DomainEventEnvelope) => void seen.push(event));
      const owner = await registerSeller(t.http);
      const manager = await addMember(t.http, owner, 'MANAGER');
      const list = await t.http.get('/api/staff').set('Cookie', owner.cookie).expect(200);
      expect(list.body.map((u: { email: string }) => u.email)).toEqual([owner.email, manager.email]);

      const changed = await t.http
        .patch(`/api/staff/${manager.userId}`)
        .set('Cookie', owner.cookie)
        .send({ role: 'VIEWER', name: 'Renamed' })
        .expect(200);
      expect(changed.body).toMatchObject({ role: 'VIEWER', name: 'Renamed' });
      const mine = seen.filter((e) => e.sellerId === owner.sellerId);
      expect(mine.map((e) => e.name)).toEqual(['STAFF_ADDED', 'STAFF_UPDATED']);
      expect(mine[1].data).toEqual({ userId: manager.userId, email: manager.email, name: 'Renamed', role: 'VIEWER' });

      await t.http.delete(`/api/staff/${manager.userId}`).set('Cookie', owner.cookie).expect(204);
      // A removed member's token stops working at once.
      await t.http.get('/api/auth/me').set('Cookie', manager.cookie).expect(401);
    });

    it('refuses a duplicate member email with 409', async () => {
      const owner = await registerSeller(t.http);
      const other = await registerSeller(t.http);
      await t.http
        .post('/api/staff')
        .set('Cookie', owner.cookie)
        .send({ email: other.email, role: 'VIEWER', password: 'long-enough-pw' })
        .expect(409);
    });

    it('keeps the last OWNER', async () => {
      const owner = await registerSeller(t.http);
      const res = await t.http
        .patch(`/api/staff/${owner.userId}`)
        .set('Cookie', owner.cookie)
        .send({ role: 'MANAGER' })
        .expect(409);
      expect(res.body.message).toBe('A shop must keep at least one OWNER');
      await t.http.delete(`/api/staff/${owner.userId}`).set('Cookie', owner.cookie).expect(409);
    });

    it('gives a VIEWER 403 on writes and a MANAGER 403 on staff', async () => {
      const owner = await registerSeller(t.http);
      const viewer = await addMember(t.http, owner, 'VIEWER');
      const manager = await addMember(t.http, owner, 'MANAGER');
      await t.http.get('/api/auth/me').set('Cookie', viewer.cookie).expect(200);
      const denied = await t.http
        .post('/api/staff')
        .set('Cookie', viewer.cookie)
        .send({ email: uniqueEmail(), role: 'VIEWER', password: 'long-enough-pw' })
        .expect(403);
      expect(denied.body).toMatchObject({ success: false, code: 'FORBIDDEN', statusCode: 403 });
      await t.http.get('/api/staff').set('Cookie', manager.cookie).expect(403);
      await t.http
        .patch(`/api/staff/${viewer.userId}`)
        .set('Cookie', manager.cookie)
        .send({ role: 'OWNER' })
        .expect(403);
    });

    it("hides another shop's member: 404, and nothing changes", async () => {
      const a = await registerSeller(t.http);
      const b = await registerSeller(t.http);
      const memberOfA = await addMember(t.http, a, 'VIEWER');
      const patch = await t.http
        .patch(`/api/staff/${memberOfA.userId}`)
        .set('Cookie', b.cookie)
        .send({ role: 'OWNER' })
        .expect(404);
      expect(patch.body).toEqual({
        success: false,
        code: 'NOT_FOUND',
        message: 'Staff member not found',
        statusCode: 404,
      });
      await t.http.delete(`/api/staff/${memberOfA.userId}`).set('Cookie', b.cookie).expect(404);
      await t.http.patch('/api/staff/usr_nonsense').set('Cookie', b.cookie).send({ role: 'OWNER' }).expect(404);
      const list = await t.http.get('/api/staff').set('Cookie', a.cookie).expect(200);
      expect(list.body.find((u: { id: string }) => u.id === memberOfA.userId).role).toBe('VIEWER');
    });
  });
});
