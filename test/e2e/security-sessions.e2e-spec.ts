import { addMember, registerSeller, tokenCookie, uniqueEmail } from '../support/factories.js';
import { createProduct, orderBody } from '../support/shop.js';
import { bootApp, type TestApp } from '../support/test-app.js';
import { sql } from '../support/webhook-helpers.js';

const DASHBOARD = 'https://dashboard.sokohub.test';

describe('Sessions end on the server (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp({ CORS_ORIGINS: DASHBOARD });
  });
  afterAll(() => t.close());

  const login = async (email: string, password: string) =>
    tokenCookie((await t.http.post('/api/auth/login').send({ email, password }).expect(200)).headers['set-cookie']);

  it('logout ends that session: a copied cookie or the same JWT as a Bearer token stops working at once', async () => {
    const s = await registerSeller(t.http);
    const jwt = s.cookie.slice('token='.length);
    await t.http.get('/api/auth/me').set('Authorization', `Bearer ${jwt}`).expect(200);
    await t.http.post('/api/auth/logout').set('Cookie', s.cookie).expect(204);
    await t.http.get('/api/auth/me').set('Cookie', s.cookie).expect(401);
    await t.http.get('/api/auth/me').set('Authorization', `Bearer ${jwt}`).expect(401);
    // Other sessions of the same user are untouched.
    const again = await login(s.email, s.password);
    await t.http.get('/api/auth/me').set('Cookie', again).expect(200);
  });

  it('sign out everywhere ends every session of the user', async () => {
    const s = await registerSeller(t.http);
    const other = await login(s.email, s.password);
    await t.http.post('/api/auth/logout-all').set('Cookie', s.cookie).expect(204);
    await t.http.get('/api/auth/me').set('Cookie', s.cookie).expect(401);
    await t.http.get('/api/auth/me').set('Cookie', other).expect(401);
  });

  it('a password change keeps this session, ends the others, and needs the current password', async () => {
    const s = await registerSeller(t.http);
    const phone = await login(s.email, s.password);
    const wrong = await t.http
      .post('/api/auth/password')
      .set('Cookie', s.cookie)
      .send({ currentPassword: 'not-it', newPassword: 'a-new-long-password' })
      .expect(400);
    expect(wrong.body).toMatchObject({ code: 'VALIDATION_ERROR', errors: [{ field: 'currentPassword' }] });
    await t.http
      .post('/api/auth/password')
      .set('Cookie', s.cookie)
      .send({ currentPassword: s.password, newPassword: 'a-new-long-password' })
      .expect(204);
    await t.http.get('/api/auth/me').set('Cookie', s.cookie).expect(200);
    await t.http.get('/api/auth/me').set('Cookie', phone).expect(401);
    await t.http.post('/api/auth/login').send({ email: s.email, password: s.password }).expect(401);
    await login(s.email, 'a-new-long-password');
  });

  it('every member manages their own account, a VIEWER too: password, sudo mode, sign out everywhere', async () => {
    const owner = await registerSeller(t.http);
    await t.http.post('/api/auth/reauth').set('Cookie', owner.cookie).send({ password: owner.password }).expect(204);
    for (const role of ['VIEWER', 'MANAGER'] as const) {
      const member = await addMember(t.http, owner, role);
      const phone = await login(member.email, member.password);
      await t.http
        .post('/api/auth/reauth')
        .set('Cookie', member.cookie)
        .send({ password: member.password })
        .expect(204);
      await t.http
        .post('/api/auth/password')
        .set('Cookie', member.cookie)
        .send({ currentPassword: member.password, newPassword: 'my-own-new-password' })
        .expect(204);
      await t.http.get('/api/auth/me').set('Cookie', phone).expect(401);
      await t.http.post('/api/auth/logout-all').set('Cookie', member.cookie).expect(204);
      await t.http.get('/api/auth/me').set('Cookie', member.cookie).expect(401);
      const again = await login(member.email, 'my-own-new-password');
      // Still nothing of the shop's: their own account is all a VIEWER writes.
      if (role === 'VIEWER')
        await t.http.post('/api/products').set('Cookie', again).send({ name: 'Kikoy', priceKes: 900 }).expect(403);
    }
    // An API key is never a person: its own account routes stay closed to it.
    const key = await t.http
      .post('/api/api-keys')
      .set('Cookie', owner.cookie)
      .send({ name: 'zapier', access: 'full' })
      .expect(201);
    await t.http.post('/api/auth/logout-all').set('Authorization', `Bearer ${key.body.key}`).expect(403);
  });

  it('refuses cookie-authenticated writes from another site, and form-encoded bodies', async () => {
    const s = await registerSeller(t.http);
    const body = { name: 'Kikoy', priceKes: 900, stock: 3 };
    const evil = await t.http
      .post('/api/products')
      .set('Cookie', s.cookie)
      .set('Origin', 'https://evil.example')
      .send(body)
      .expect(403);
    expect(evil.body).toMatchObject({ success: false, code: 'FORBIDDEN' });
    await t.http
      .post('/api/products')
      .set('Cookie', s.cookie)
      .set('Sec-Fetch-Site', 'cross-site')
      .send(body)
      .expect(403);
    await t.http.post('/api/products').set('Cookie', s.cookie).set('Origin', 'null').send(body).expect(403);
    // The dashboard's origin, a same-origin page, and a server-to-server caller (no Origin) are fine.
    await t.http.post('/api/products').set('Cookie', s.cookie).set('Origin', DASHBOARD).send(body).expect(201);
    await t.http
      .post('/api/products')
      .set('Cookie', s.cookie)
      .set('Sec-Fetch-Site', 'same-origin')
      .send(body)
      .expect(201);
    await t.http.post('/api/products').set('Cookie', s.cookie).send(body).expect(201);
    // A Bearer token is never sent by a browser on its own: not checked.
    await t.http
      .post('/api/products')
      .set('Authorization', `Bearer ${s.cookie.slice(6)}`)
      .set('Origin', 'https://evil.example')
      .send(body)
      .expect(201);
    // Reads are not writes.
    await t.http.get('/api/products').set('Cookie', s.cookie).set('Origin', 'https://evil.example').expect(200);

    const form = await t.http
      .post('/api/products')
      .set('Cookie', s.cookie)
      .type('form')
      .send('name=Kikoy&priceKes=900')
      .expect(415);
    expect(form.body).toMatchObject({ success: false, code: 'UNSUPPORTED_MEDIA_TYPE', statusCode: 415 });
    await t.http.post('/api/orders').type('form').send('storeSlug=x').expect(415);
    expect(
      (await sql<{ n: number }>(t.app, 'select count(*)::int as n from products where seller_id = ?', [s.sellerId]))[0]
        .n,
    ).toBe(4);
  });
});

describe('Sign-in limits (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp({ TRUST_PROXY: 'loopback', LOGIN_FAILURES_BEFORE_LOCK: '3', AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  });
  afterAll(() => t.close());

  it('locks one account after repeated failures from many addresses, with a back-off, whatever the password then', async () => {
    const s = await registerSeller(t.http);
    for (let i = 0; i < 3; i++) {
      await t.http
        .post('/api/auth/login')
        .set('X-Forwarded-For', `203.0.113.${i + 1}`)
        .send({ email: s.email, password: 'guess' })
        .expect(401);
    }
    const locked = await t.http
      .post('/api/auth/login')
      .set('X-Forwarded-For', '198.51.100.9')
      .send({ email: s.email, password: s.password })
      .expect(429);
    expect(locked.body).toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringContaining('Too many failed sign-ins to this account'),
    });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(25);
    // The lock ends; one more failure from a stranger's address doubles it; a success resets the count.
    await sql(t.app, "update users set locked_until = now() - interval '1 second' where id = ?", [s.userId]);
    await t.http
      .post('/api/auth/login')
      .set('X-Forwarded-For', '203.0.113.50')
      .send({ email: s.email, password: 'guess' })
      .expect(401);
    const [{ wait }] = await sql<{ wait: number }>(
      t.app,
      'select extract(epoch from locked_until - now())::int as wait from users where id = ?',
      [s.userId],
    );
    expect(wait).toBeGreaterThan(50);
    await sql(t.app, "update users set locked_until = now() - interval '1 second' where id = ?", [s.userId]);
    await t.http.post('/api/auth/login').send({ email: s.email, password: s.password }).expect(200);
    expect(
      (await sql<{ n: number }>(t.app, 'select failed_logins as n from users where id = ?', [s.userId]))[0].n,
    ).toBe(0);
  });

  it('bounds concurrent password hashing: a flood is answered 429 instead of queueing without end', async () => {
    const flood = await bootApp({ PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '0' });
    try {
      const answers = await Promise.all(
        Array.from({ length: 12 }, () =>
          flood.http.post('/api/auth/login').send({ email: uniqueEmail(), password: 'whatever-it-is' }),
        ),
      );
      const codes = answers.map((a) => a.status);
      expect(codes.filter((c) => c === 429).length).toBeGreaterThan(0);
      expect(codes.every((c) => c === 401 || c === 429)).toBe(true);
      expect(answers.find((a) => a.status === 429)!.body).toMatchObject({
        code: 'RATE_LIMITED',
        message: expect.stringContaining('Too many sign-ins'),
      });
    } finally {
      await flood.close();
    }
  });
});

describe('TRUST_PROXY and the public order limit (e2e)', () => {
  async function ordersFrom(t: TestApp, forwarded: string[]) {
    const s = await registerSeller(t.http);
    const p = await createProduct(t.http, s, { stock: 50 });
    const statuses: number[] = [];
    for (const [i, ip] of forwarded.entries()) {
      const body = orderBody(s, [{ productId: p.id, quantity: 1 }], {
        paymentMethod: 'CASH_ON_DELIVERY',
        customerPhone: `07123450${String(i).padStart(2, '0')}`,
      });
      const res = await t.http.post('/api/orders').set('X-Forwarded-For', ip).send(body);
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.body).toMatchObject({
          code: 'RATE_LIMITED',
          message: expect.stringContaining('Too many orders from your network'),
        });
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    return statuses;
  }

  it('ignores a spoofed X-Forwarded-For from an untrusted peer (default)', async () => {
    const t = await bootApp({ ORDER_RATE_LIMIT_PER_MINUTE: '2' });
    try {
      expect(await ordersFrom(t, ['203.0.113.1', '203.0.113.2', '203.0.113.3'])).toEqual([201, 201, 429]);
    } finally {
      await t.close();
    }
  });

  it('reads the client behind a trusted proxy, so each buyer has a limit of their own', async () => {
    const t = await bootApp({ ORDER_RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: '127.0.0.1/8,::1' });
    try {
      expect(await ordersFrom(t, ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.1', '203.0.113.1'])).toEqual([
        201, 201, 201, 201, 429,
      ]);
    } finally {
      await t.close();
    }
  });
});
