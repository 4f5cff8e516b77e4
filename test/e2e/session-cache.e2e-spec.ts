import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { SessionCache } from '../../src/auth/session-cache.js';
import { DatabaseNotifications } from '../../src/database/notifications.js';
import { addMember, registerSeller, type SellerSession } from '../support/factories.js';
import { waitFor } from '../support/receiver.js';
import { bootApp, type TestApp } from '../support/test-app.js';

/** The session id (`jti`) inside a `token=<jwt>` cookie. */
const sessionId = (cookie: string): string =>
  (JSON.parse(Buffer.from(cookie.split('=')[1].split('.')[1], 'base64url').toString()) as { jti: string }).jti;

/**
 * Two instances on one database, each keeping the sessions it has checked (SessionCache): whatever ends a session or
 * changes a member — the API on either instance, or a statement from outside the app — is refused on both, and
 * nothing kept is trusted while an instance is not listening for those changes.
 */
describe('checked sessions kept in memory (e2e, two instances on one database)', () => {
  let a: TestApp;
  let b: TestApp;
  const cacheOf = (t: TestApp) => t.app.get(SessionCache);
  const liveOf = (t: TestApp) => t.app.get(DatabaseNotifications).live;
  /** A connection of its own, as psql or a script would change the database. */
  const outside = async (text: string, values: unknown[] = []) => {
    const client = new pg.Client({ connectionString: a.databaseUrl });
    await client.connect();
    try {
      await client.query(text, values);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    a = await bootApp();
    b = await bootApp({}, { databaseUrl: a.databaseUrl });
    await waitFor(() => liveOf(a) && liveOf(b), 10_000, 'both instances listening');
  }, 60_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  /** Signs in on `a`, and has `b` check (and keep) the session. */
  const keptOnB = async (s: SellerSession) => {
    await b.http.get('/api/auth/me').set('Cookie', s.cookie).expect(200);
    expect(cacheOf(b).get(sessionId(s.cookie))).toMatchObject({ userId: s.userId, sellerId: s.sellerId });
  };

  it('refuses a logged-out session at once where it ended and on the other instance once told', async () => {
    const s = await registerSeller(a.http);
    await a.http.get('/api/auth/me').set('Cookie', s.cookie).expect(200);
    await keptOnB(s);
    await a.http.post('/api/auth/logout').set('Cookie', s.cookie).expect(204);
    await a.http.get('/api/auth/me').set('Cookie', s.cookie).expect(401);
    await waitFor(() => cacheOf(b).get(sessionId(s.cookie)) === undefined, 5_000, 'b to drop the session');
    await b.http.get('/api/auth/me').set('Cookie', s.cookie).expect(401);
  });

  it("applies a member's new role and their removal on both instances", async () => {
    const owner = await registerSeller(a.http);
    const member = await addMember(a.http, owner, 'MANAGER');
    await b.http.post('/api/products').set('Cookie', member.cookie).send({ name: 'Kiondo', priceKes: 900 }).expect(201);
    expect(cacheOf(b).get(sessionId(member.cookie))?.role).toBe('MANAGER');

    await a.http.patch(`/api/staff/${member.userId}`).set('Cookie', owner.cookie).send({ role: 'VIEWER' }).expect(200);
    await a.http.post('/api/products').set('Cookie', member.cookie).send({ name: 'Kikapu', priceKes: 900 }).expect(403);
    await waitFor(() => cacheOf(b).get(sessionId(member.cookie)) === undefined, 5_000, 'b to drop the member');
    await b.http.post('/api/products').set('Cookie', member.cookie).send({ name: 'Kikapu', priceKes: 900 }).expect(403);
    expect(cacheOf(b).get(sessionId(member.cookie))?.role).toBe('VIEWER');

    await a.http.delete(`/api/staff/${member.userId}`).set('Cookie', owner.cookie).expect(204);
    await a.http.get('/api/products').set('Cookie', member.cookie).expect(401);
    await waitFor(() => cacheOf(b).get(sessionId(member.cookie)) === undefined, 5_000, 'b to drop the removed member');
    await b.http.get('/api/products').set('Cookie', member.cookie).expect(401);
  });

  it('sees a session ended by a statement from outside the app', async () => {
    const s = await registerSeller(a.http);
    await a.http.get('/api/auth/me').set('Cookie', s.cookie).expect(200);
    await keptOnB(s);
    await outside('update sessions set revoked_at = now() where id = $1', [sessionId(s.cookie)]);
    for (const t of [a, b]) {
      await waitFor(() => cacheOf(t).get(sessionId(s.cookie)) === undefined, 5_000, 'the session to be dropped');
      await t.http.get('/api/auth/me').set('Cookie', s.cookie).expect(401);
    }
  });

  it('trusts nothing it kept while it was not listening, then listens again', async () => {
    const s = await registerSeller(a.http);
    await keptOnB(s);
    // A change nobody is told of (the trigger off): b still answers from memory — what listening protects against.
    await outside(`alter table sessions disable trigger sessions_auth_changed;
      update sessions set revoked_at = now() where id = '${sessionId(s.cookie)}';
      alter table sessions enable trigger sessions_auth_changed;`);
    await b.http.get('/api/auth/me').set('Cookie', s.cookie).expect(200);
    // The listening connections end: what they vouched for is dropped, and the database is asked again.
    await outside(`select pg_terminate_backend(pid) from pg_stat_activity
      where application_name = 'sokohub-listener' and datname = current_database()`);
    await waitFor(() => cacheOf(b).get(sessionId(s.cookie)) === undefined, 5_000, 'b to drop what it kept');
    await b.http.get('/api/auth/me').set('Cookie', s.cookie).expect(401);
    await waitFor(() => liveOf(a) && liveOf(b), 15_000, 'both instances listening again');
    expect((await b.http.get('/metrics').expect(200)).text).toMatch(/^db_notifications_listening 1$/m);

    // Listening again, b keeps and drops sessions as before.
    const again = await registerSeller(a.http);
    await keptOnB(again);
    await a.http.post('/api/auth/logout').set('Cookie', again.cookie).expect(204);
    await waitFor(() => cacheOf(b).get(sessionId(again.cookie)) === undefined, 5_000, 'b to drop the session');
    expect(
      await b.app
        .get(MikroORM)
        .em.fork()
        .execute('select 1 from sessions where id = ? and revoked_at is not null', [sessionId(again.cookie)]),
    ).toHaveLength(1);
  });
});
