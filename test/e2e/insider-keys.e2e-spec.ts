import { SessionsService } from '../../src/auth/sessions.service.js';
import { addMember, registerSeller, type SellerSession, tokenCookie, uniqueEmail } from '../support/factories.js';
import { DARAJA_CREDS } from '../support/mpesa-shop.js';
import { bootApp, type TestApp } from '../support/test-app.js';
import { sql } from '../support/webhook-helpers.js';

/**
 * Issue #24, "an API key is not the owner": what a leaked key, a VIEWER or a stolen session can no longer do. Each
 * test here passed the attack before the fix (a full key made an OWNER, pointed M-Pesa elsewhere...) and refuses it now.
 */
describe('Keys and sessions cannot be turned against the shop (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // TRUST_PROXY lets a test speak from another client address (X-Forwarded-For from loopback).
    t = await bootApp({ TRUST_PROXY: 'loopback', WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
  });
  afterAll(() => t.close());

  const newKey = async (s: SellerSession, access: 'read' | 'full') =>
    (
      await t.http
        .post('/api/api-keys')
        .set('Cookie', s.cookie)
        .send({ name: `Zapier ${access}`, access })
        .expect(201)
    ).body as { id: string; key: string };
  /** Makes the session's password entry older than the 15-minute sudo window. */
  const ageSession = (s: SellerSession, minutes = 16) =>
    sql(t.app, `update sessions set password_at = now() - make_interval(mins => ?) where user_id = ?`, [
      minutes,
      s.userId,
    ]);

  it('refuses a full API key everything about who acts for the shop and where its money goes, with a clear 403', async () => {
    const s = await registerSeller(t.http);
    const { key } = await newKey(s, 'full');
    const bearer = `Bearer ${key}`;
    const attempts: [string, string, object?][] = [
      ['post', '/api/staff', { email: uniqueEmail('evil'), role: 'OWNER', password: 'evil-password-1' }],
      ['get', '/api/staff'],
      ['put', '/api/payments/mpesa/settings', { ...DARAJA_CREDS, shortcode: '999999' }],
      ['get', '/api/payments/mpesa/settings'],
      ['post', '/api/payments/mpesa/settings/rotate-callback'],
      ['patch', '/api/shop/settings', { codHoldHours: 1 }],
      ['get', '/api/shop/settings'],
      ['put', '/api/partner-access/cmp_01hzzzzzzzzzzzzzzzzzzzzzzz'],
      ['get', '/api/partner-access'],
      ['post', '/api/api-keys', { name: 'mine now', access: 'full' }],
      ['get', '/api/audit-log'],
      ['post', '/api/auth/logout-all'],
      ['post', '/api/auth/password', { currentPassword: 'x', newPassword: 'a-new-long-password' }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await t.http[method as 'get'](path).set('Authorization', bearer).send(body);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
      expect(res.body).toMatchObject({ success: false, code: 'FORBIDDEN', statusCode: 403 });
      expect(res.body.message).toContain('a signed-in owner must do this');
    }
    // Nothing changed: still one member, no settings.
    expect((await t.http.get('/api/staff').set('Cookie', s.cookie).expect(200)).body).toHaveLength(1);
    expect((await t.http.get('/api/payments/mpesa/settings').set('Cookie', s.cookie)).body.configured).toBe(false);
    // The shop's data is still the key's to work with.
    await t.http.get('/api/orders').set('Authorization', bearer).expect(200);
    await t.http.get('/api/payments').set('Authorization', bearer).expect(200);
    await t.http
      .post('/api/products')
      .set('Authorization', bearer)
      .send({ name: 'Kikoy', priceKes: 900, stock: 3 })
      .expect(201);
  });

  it('asks for the password again (sudo mode) before staff, keys, partner access or M-Pesa change', async () => {
    const s = await registerSeller(t.http);
    // Signing up counts as entering the password: the first minutes need no reauth.
    await newKey(s, 'read');
    await ageSession(s);
    const staff = { email: uniqueEmail('m'), role: 'MANAGER', password: 'member-password-1' };
    const refusals = [
      await t.http.post('/api/staff').set('Cookie', s.cookie).send(staff),
      await t.http.post('/api/api-keys').set('Cookie', s.cookie).send({ name: 'k', access: 'full' }),
      await t.http.put('/api/payments/mpesa/settings').set('Cookie', s.cookie).send(DARAJA_CREDS),
      await t.http.delete('/api/partner-access/cmp_01hzzzzzzzzzzzzzzzzzzzzzzz').set('Cookie', s.cookie),
    ];
    for (const res of refusals) {
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ success: false, code: 'FORBIDDEN', statusCode: 403, reauth: true });
    }
    // Reads and ordinary work go on without it.
    await t.http.get('/api/staff').set('Cookie', s.cookie).expect(200);
    await t.http.patch('/api/shop/settings').set('Cookie', s.cookie).send({ codHoldHours: 12 }).expect(200);

    const wrong = await t.http.post('/api/auth/reauth').set('Cookie', s.cookie).send({ password: 'not-it' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: 'VALIDATION_ERROR', errors: [{ field: 'password' }] });
    await t.http.post('/api/staff').set('Cookie', s.cookie).send(staff).expect(403);
    await t.http.post('/api/auth/reauth').set('Cookie', s.cookie).send({ password: s.password }).expect(204);
    await t.http.post('/api/staff').set('Cookie', s.cookie).send(staff).expect(201);
    await t.http.put('/api/payments/mpesa/settings').set('Cookie', s.cookie).send(DARAJA_CREDS).expect(200);
    // Reauth is a person's: a key cannot renew anything.
    const { key } = await newKey(s, 'full');
    await t.http
      .post('/api/auth/reauth')
      .set('Authorization', `Bearer ${key}`)
      .send({ password: s.password })
      .expect(403);
  });

  it('keeps an audit log the owner reads, newest first: who, when, from where and what, never a secret', async () => {
    const s = await registerSeller(t.http);
    const ip = '196.201.214.77';
    const as = (req: ReturnType<typeof t.http.post>) => req.set('Cookie', s.cookie).set('X-Forwarded-For', ip);
    const member = await as(t.http.post('/api/staff'))
      .send({ email: uniqueEmail('v'), role: 'VIEWER', password: 'member-password-1' })
      .expect(201);
    await as(t.http.patch(`/api/staff/${member.body.id}`))
      .send({ role: 'MANAGER' })
      .expect(200);
    const key = await as(t.http.post('/api/api-keys')).send({ name: 'Zapier', access: 'full' }).expect(201);
    const settings = await as(t.http.put('/api/payments/mpesa/settings')).send(DARAJA_CREDS).expect(200);
    await as(t.http.patch('/api/shop/settings')).send({ maxUnitsPerLine: 5 }).expect(200);
    const hook = await as(t.http.post('/api/webhooks'))
      .send({ url: 'https://hooks.example.com/sokohub', events: ['ORDER_CREATED'] })
      .expect(201);
    const rotated = await as(t.http.post(`/api/webhooks/${hook.body.id}/rotate-secret`)).expect(200);
    // The key acts too: its own changes are logged under its id.
    await t.http
      .patch(`/api/webhooks/${hook.body.id}`)
      .set('Authorization', `Bearer ${key.body.key}`)
      .send({ url: 'https://hooks.example.com/v2' })
      .expect(200);
    await as(t.http.delete(`/api/api-keys/${key.body.id}`)).expect(204);
    await as(t.http.delete(`/api/staff/${member.body.id}`)).expect(204);
    await as(t.http.post('/api/auth/password'))
      .send({ currentPassword: s.password, newPassword: 'a-brand-new-password' })
      .expect(204);

    const log = await t.http.get('/api/audit-log?limit=50').set('Cookie', s.cookie).expect(200);
    const actions = log.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual([
      'password.changed',
      'staff.removed',
      'api-key.revoked',
      'webhook.updated',
      'webhook.secret-rotated',
      'webhook.created',
      'shop.settings-changed',
      'mpesa.settings-saved',
      'api-key.created',
      'staff.updated',
      'staff.added',
    ]);
    expect(log.body).toMatchObject({ page: 1, limit: 50, total: 11 });
    const [pwd] = log.body.items;
    expect(pwd).toMatchObject({
      id: expect.stringMatching(/^aud_/),
      actor: { type: 'user', id: s.userId, email: s.email },
      ip,
      target: s.userId,
    });
    expect(new Date(pwd.at).getTime()).toBeGreaterThan(Date.now() - 60_000);
    const byKey = log.body.items.find((e: { action: string }) => e.action === 'webhook.updated');
    expect(byKey).toMatchObject({
      actor: { type: 'key', id: key.body.id },
      changes: { previousUrl: 'https://hooks.example.com/sokohub', url: 'https://hooks.example.com/v2' },
    });
    expect(log.body.items.find((e: { action: string }) => e.action === 'staff.updated').changes).toEqual({
      previousRole: 'VIEWER',
      role: 'MANAGER',
    });
    const text = JSON.stringify(log.body);
    const token = new URL(settings.body.callbackUrl).pathname.split('/').pop()!;
    for (const secret of [
      key.body.key,
      hook.body.secret,
      rotated.body.secret,
      token,
      DARAJA_CREDS.passkey,
      DARAJA_CREDS.consumerSecret,
      'member-password-1',
      'a-brand-new-password',
    ])
      expect(text).not.toContain(secret);

    // Owner only, signed in, this shop only.
    const viewer = await addMember(t.http, s, 'VIEWER');
    await t.http.get('/api/audit-log').set('Cookie', viewer.cookie).expect(403);
    const other = await registerSeller(t.http);
    expect((await t.http.get('/api/audit-log').set('Cookie', other.cookie).expect(200)).body.total).toBe(0);
  });

  it('logs sessions ended (sign-out, everywhere) with the address they were ended from', async () => {
    const s = await registerSeller(t.http);
    const second = tokenCookie(
      (await t.http.post('/api/auth/login').send({ email: s.email, password: s.password }).expect(200)).headers[
        'set-cookie'
      ],
    );
    await t.http.post('/api/auth/logout').set('Cookie', second).set('X-Forwarded-For', '41.90.1.2').expect(204);
    const owner = tokenCookie(
      (await t.http.post('/api/auth/login').send({ email: s.email, password: s.password }).expect(200)).headers[
        'set-cookie'
      ],
    );
    const [{ entries }] = await sql<{ entries: { action: string; changes: { reason: string }; ip: string }[] }>(
      t.app,
      `select json_agg(json_build_object('action', action, 'changes', changes, 'ip', ip) order by at) as entries
         from audit_log where seller_id = ?`,
      [s.sellerId],
    );
    expect(entries).toEqual([
      { action: 'session.ended', changes: { sessions: 1, reason: 'sign-out' }, ip: '41.90.1.2' },
    ]);
    await t.http.post('/api/auth/logout-all').set('Cookie', owner).expect(204);
    const [{ n }] = await sql<{ n: string }>(
      t.app,
      "select count(*) as n from audit_log where seller_id = ? and action = 'session.ended'",
      [s.sellerId],
    );
    expect(Number(n)).toBe(2);
  });

  it('keeps CSRF on for a cookie session whatever other Authorization header comes with it', async () => {
    const s = await registerSeller(t.http);
    const body = { name: 'Kikoy', priceKes: 900, stock: 3 };
    for (const authorization of ['Basic eDp5', 'Bearer', 'Digest x', 'sk_not_bearer']) {
      const res = await t.http
        .post('/api/products')
        .set('Cookie', s.cookie)
        .set('Authorization', authorization)
        .set('Origin', 'https://evil.example')
        .send(body);
      expect({ authorization, status: res.status }).toEqual({ authorization, status: 403 });
    }
    // A genuine Bearer token (never sent by a browser on its own) is still not CSRF-checked.
    const jwt = s.cookie.slice('token='.length);
    await t.http
      .post('/api/products')
      .set('Authorization', `Bearer ${jwt}`)
      .set('Origin', 'https://evil.example')
      .send(body)
      .expect(201);
  });

  it('sends Cache-Control: no-store with every answer that carries a secret', async () => {
    const s = await registerSeller(t.http);
    const key = await t.http.post('/api/api-keys').set('Cookie', s.cookie).send({ name: 'k', access: 'read' });
    const hook = await t.http
      .post('/api/webhooks')
      .set('Cookie', s.cookie)
      .send({ url: 'https://hooks.example.com/x', events: ['ORDER_CREATED'] });
    const rotated = await t.http.post(`/api/webhooks/${hook.body.id}/rotate-secret`).set('Cookie', s.cookie);
    const mpesa = await t.http.put('/api/payments/mpesa/settings').set('Cookie', s.cookie).send(DARAJA_CREDS);
    const callback = await t.http.post('/api/payments/mpesa/settings/rotate-callback').set('Cookie', s.cookie);
    const login = await t.http.post('/api/auth/login').send({ email: s.email, password: s.password });
    for (const res of [key, hook, rotated, mpesa, callback, login]) {
      expect(res.status).toBeLessThan(300);
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  it('keeps what a member or a key reads out of every cache; public answers keep theirs', async () => {
    const s = await registerSeller(t.http);
    const key = await newKey(s, 'read');
    const asMember = ['/api/orders', '/api/customers', '/api/orders/export', '/api/analytics/overview', '/api/auth/me'];
    for (const path of asMember) {
      const res = await t.http.get(path).set('Cookie', s.cookie);
      expect({ path, status: res.status, cache: res.headers['cache-control'] }).toEqual({
        path,
        status: 200,
        cache: 'no-store',
      });
    }
    const viaKey = await t.http.get('/api/products').set('Authorization', `Bearer ${key.key}`).expect(200);
    expect(viaKey.headers['cache-control']).toBe('no-store');
    // Refused answers too: a 404 says nothing worth keeping either.
    const missing = await t.http.get('/api/orders/ord_01hzzzzzzzzzzzzzzzzzzzzzzz').set('Cookie', s.cookie);
    expect([missing.status, missing.headers['cache-control']]).toEqual([404, 'no-store']);
    // The event catalogue is public and says so, whoever asks; the storefront sets nothing.
    const events = await t.http.get('/api/webhooks/events').set('Cookie', s.cookie).expect(200);
    expect(events.headers['cache-control']).toBe('public, max-age=300');
    const store = await t.http.get(`/api/storefront/${s.storeSlug}`).expect(200);
    expect(store.headers['cache-control']).toBeUndefined();
  });

  it('purges sessions once they expire or have been ended for a day', async () => {
    const s = await registerSeller(t.http);
    const live = tokenCookie(
      (await t.http.post('/api/auth/login').send({ email: s.email, password: s.password })).headers['set-cookie'],
    );
    await sql(t.app, `update sessions set expires_at = now() - interval '1 second' where user_id = ? and id <> ?`, [
      s.userId,
      (
        await sql<{ id: string }>(t.app, 'select id from sessions where user_id = ? order by created_at desc', [
          s.userId,
        ])
      )[0].id,
    ]);
    const ended = await registerSeller(t.http);
    await t.http.post('/api/auth/logout').set('Cookie', ended.cookie).expect(204);
    await sql(t.app, `update sessions set revoked_at = now() - interval '25 hours' where user_id = ?`, [ended.userId]);
    expect(await t.app.get(SessionsService).purgeExpired()).toBeGreaterThanOrEqual(2);
    const left = await sql<{ user_id: string }>(t.app, 'select user_id from sessions where user_id in (?, ?)', [
      s.userId,
      ended.userId,
    ]);
    expect(left).toEqual([{ user_id: s.userId }]);
    await t.http.get('/api/auth/me').set('Cookie', live).expect(200);
  });

  it('locks out strangers after failed sign-ins, never the owner from an address that signed in before', async () => {
    const s = await registerSeller(t.http);
    const login = (ip: string, password: string) =>
      t.http.post('/api/auth/login').set('X-Forwarded-For', ip).send({ email: s.email, password });
    // A stranger tries a wrong password from several addresses until the account locks for strangers.
    for (let i = 1; i <= 5; i++) await login(`102.0.0.${i}`, 'wrong-password').expect(401);
    const locked = await login('102.0.0.9', s.password).expect(429);
    expect(locked.body.message).toContain('Too many failed sign-ins to this account');
    expect(locked.body.message).not.toMatch(/reset/i);
    // The owner signs in from where they signed up (127.0.0.1), lock or not; and that address never counts toward it.
    await t.http.post('/api/auth/login').send({ email: s.email, password: 'typo-password' }).expect(401);
    await t.http.post('/api/auth/login').send({ email: s.email, password: s.password }).expect(200);
    // A good sign-in from a new address makes it known: later failures there do not lock the owner out.
    const s2 = await registerSeller(t.http);
    const from = (ip: string, password: string) =>
      t.http.post('/api/auth/login').set('X-Forwarded-For', ip).send({ email: s2.email, password });
    await from('41.80.1.1', s2.password).expect(200);
    for (let i = 0; i < 8; i++) await from('41.80.1.1', 'fat-finger').expect(401);
    await from('41.80.1.1', s2.password).expect(200);
  });
});

describe('Operator and sign-up limits (e2e)', () => {
  let t: TestApp;
  const METRICS_TOKEN = 'metrics-token-0123456789';
  beforeAll(async () => {
    t = await bootApp({ TRUST_PROXY: 'loopback', METRICS_TOKEN, SIGNUP_PER_ADDRESS_PER_HOUR: '2' });
  });
  afterAll(() => t.close());

  it('answers /metrics only to a scraper with METRICS_TOKEN', async () => {
    await t.http.get('/metrics').expect(401);
    await t.http.get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789').expect(401);
    const ok = await t.http.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    expect(ok.text).toContain('http_requests_total');
  });

  it('limits sign-ups per client address per hour, an IPv6 client by its /64', async () => {
    const signUp = (ip: string) =>
      t.http
        .post('/api/auth/register')
        .set('X-Forwarded-For', ip)
        .send({ email: uniqueEmail(), password: 'correct-horse-battery', storeName: 'Duka', phone: '0712345678' });
    await signUp('2001:db8:aa:1::1').expect(201);
    await signUp('2001:db8:aa:1::2').expect(201);
    const refused = await signUp('2001:db8:aa:1:ffff::9').expect(429);
    expect(refused.body).toMatchObject({ code: 'RATE_LIMITED' });
    expect(refused.headers['retry-after']).toBeDefined();
    // Another network is not held back.
    await signUp('2001:db8:aa:2::1').expect(201);
  });
});
