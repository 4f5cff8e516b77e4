import { MikroORM, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { ALL_ENTITIES } from '../../src/app.entities.js';
import { preparedRows } from '../../src/database/prepared.js';
import { runPreparedBatch } from '../../src/database/prepared-batch.js';
import { mikroOrmOptions } from '../../src/database/mikro-orm.options.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { createTestDatabase } from '../support/test-database.js';

/**
 * The held-back writes of a transaction go as one pipeline of prepared statements (Parse once per connection, Bind and
 * Execute each, one Sync). One pooled connection here, so every batch meets what the previous one left on it.
 */
describe('runPreparedBatch (e2e, one connection)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let orm: MikroORM;
  const INSERT = 'insert into batch_probe (id, note, at, ok, n) values (?, ?, ?, ?, ?)';
  const BUMP = 'update batch_probe set n = n + ?, note = note || ? where id = ?';
  const rows = async () =>
    (
      await orm.em
        .fork()
        .execute<{ id: number; note: string; at: string | null; ok: boolean; n: number }[]>(
          'select id, note, at, ok, n from batch_probe order by id',
        )
    ).map((r) => ({ ...r, at: r.at && new Date(r.at).toISOString() }));
  const prepared = () =>
    orm.em
      .fork()
      .execute<{ name: string }[]>("select name from pg_prepared_statements where name like 's\\_%' order by name");
  const run = (writes: { sql: string; params: unknown[] }[]) =>
    orm.em.fork().transactional((em) => runPreparedBatch(em, writes));

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init(mikroOrmOptions(db.url, 1, 0, ALL_ENTITIES));
    await orm.em
      .fork()
      .execute(
        'create table batch_probe (id int primary key, note text not null, at timestamptz, ok boolean, n int not null)',
      );
  });
  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  it('runs the statements in order in the transaction, with typed parameters, and prepares each text once', async () => {
    const at = new Date('2026-12-04T10:00:00.123Z');
    await run([
      { sql: INSERT, params: [1, 'a', at, true, 1] },
      { sql: INSERT, params: [2, 'b', null, false, 5] },
      { sql: BUMP, params: [10, '+', 1] },
      { sql: BUMP, params: [1, '!', 1] },
    ]);
    expect(await rows()).toEqual([
      { id: 1, note: 'a+!', at: at.toISOString(), ok: true, n: 12 },
      { id: 2, note: 'b', at: null, ok: false, n: 5 },
    ]);
    expect(await prepared()).toHaveLength(2);
  });

  it('an error fails the whole transaction with MikroORM’s typed exception, and the next batch runs', async () => {
    const FRESH = 'insert into batch_probe (id, note, n) values (?, ?, ?)';
    // The fresh text is parsed in this batch, which fails after it: nothing of it is kept, and it is not counted
    // as parsed, so the next batch closes and parses it again without "already exists".
    await expect(
      run([
        { sql: FRESH, params: [3, 'c', 0] },
        { sql: INSERT, params: [1, 'dup', null, null, 0] },
      ]),
    ).rejects.toBeInstanceOf(UniqueConstraintViolationException);
    expect((await rows()).map((r) => r.id)).toEqual([1, 2]);
    await run([{ sql: FRESH, params: [3, 'c', 0] }]);
    expect((await rows()).map((r) => r.id)).toEqual([1, 2, 3]);
  });

  it('a statement PostgreSQL cannot parse fails its batch, and leaves the connection usable', async () => {
    await expect(run([{ sql: 'update batch_probe set nope = ? where id = ?', params: [1, 1] }])).rejects.toThrow(
      /nope/,
    );
    await run([{ sql: BUMP, params: [1, '', 2] }]);
    expect((await rows()).find((r) => r.id === 2)!.n).toBe(6);
  });

  it('answers the rows of the statements marked read, parsed as the client parses them', async () => {
    const at = new Date('2026-12-04T11:00:00.5Z');
    const [inserted, bumped, counted] = await orm.em.fork().transactional((em) =>
      runPreparedBatch(em, [
        { sql: `${INSERT} returning id, note, at, ok, n`, params: [10, 'r', at, true, 7], read: true },
        { sql: BUMP, params: [1, '', 10] },
        {
          sql: 'select count(*) as c, max(n) as top, null::text as none from batch_probe where id >= ?',
          params: [10],
          read: true,
        },
      ]),
    );
    expect(inserted).toEqual([{ id: 10, note: 'r', at: expect.anything(), ok: true, n: 7 }]);
    expect(new Date((inserted[0] as { at: string | Date }).at).toISOString()).toBe(at.toISOString());
    expect(bumped).toEqual([]);
    // count(*) is a bigint: pg answers it as a string, here as everywhere.
    expect(counted).toEqual([{ c: '1', top: 8, none: null }]);
  });

  describe('UnitOfWork with direct: a connection of its own, BEGIN and COMMIT in the first and last round trips', () => {
    const uow = () => new UnitOfWork(orm.em, new EventEmitter2());
    const notices: string[] = [];
    /** What the one pooled connection was sent: a call of client.query is a round trip. */
    const sent: string[] = [];
    let pooled: { query: (...args: unknown[]) => unknown };
    const watched = new WeakSet<object>();
    const watch = async () => {
      const pool = await orm.em.getConnection().getNativeClient();
      // One connection in this pool: what PostgreSQL says on it is heard here, and what is sent on it is counted.
      const client = (await pool.connect()) as unknown as typeof pooled & { on: (e: string, f: unknown) => void };
      if (!watched.has(client)) {
        client.on('notice', (n: { message?: string }) => notices.push(n.message ?? ''));
        const query = client.query.bind(client);
        watched.add(client);
        client.query = (...args: unknown[]) => {
          // A batch's text is its statements' texts, one after the other: each is named by its first word.
          const config = args[0] as string | { text?: string };
          const text = typeof config === 'string' ? config : (config.text ?? '');
          sent.push(
            text
              .split(';\n')
              .map((t) => t.trim().split(/\s/)[0])
              .join('+'),
          );
          return query(...args);
        };
      }
      pooled = client;
      (client as unknown as { release: () => void }).release();
    };
    beforeEach(async () => {
      await watch();
      sent.length = 0;
    });

    it('sends BEGIN with the first statements and COMMIT with the held-back writes: two round trips', async () => {
      let hooked = false;
      const value = await uow().run(
        async (tx) => {
          await tx.sql('insert into batch_probe (id, note, n) values (?, ?, ?)', [20, 'early', 0]);
          tx.writeLater(BUMP, [5, '+late', 20]);
          tx.afterCommit(() => (hooked = true));
          return 'done';
        },
        { direct: true },
      );
      expect(value).toBe('done');
      expect(hooked).toBe(true);
      expect(sent).toEqual(['begin+insert', 'update+commit']);
      expect((await rows()).find((r) => r.id === 20)).toMatchObject({ note: 'early+late', n: 5 });
      // Not left in a transaction: what the next user of the connection writes is committed on its own.
      sent.length = 0;
      await uow().run(async (tx) => tx.writeLater(BUMP, [1, '', 20]), { direct: true });
      expect(sent).toEqual(['begin+update+commit']);
      expect((await rows()).find((r) => r.id === 20)!.n).toBe(6);
      expect(notices).toEqual([]);
      // The same work through MikroORM's transaction: BEGIN, the statement, the writes and COMMIT apart.
      sent.length = 0;
      await uow().run(async (tx) => {
        await tx.sql('select 1 as n', []);
        tx.writeLater(BUMP, [1, '', 20]);
      });
      expect(sent.length).toBeGreaterThanOrEqual(4);
    });

    it('a work that sends nothing sends no BEGIN or COMMIT either', async () => {
      expect(await uow().run(async () => 7, { direct: true })).toBe(7);
      expect(sent).toEqual([]);
    });

    it('a held-back write that fails commits nothing, hooks do not run, and the connection is rolled back', async () => {
      let hooked = false;
      await expect(
        uow().run(
          async (tx) => {
            await tx.sql('insert into batch_probe (id, note, n) values (?, ?, ?)', [21, 'early', 0]);
            tx.writeLater(INSERT, [1, 'dup', null, null, 0]);
            tx.afterCommit(() => (hooked = true));
          },
          { direct: true },
        ),
      ).rejects.toBeInstanceOf(UniqueConstraintViolationException);
      expect(hooked).toBe(false);
      expect(sent).toEqual(['begin+insert', 'insert+commit', 'rollback']);
      expect((await rows()).map((r) => r.id)).not.toContain(21);
      expect(notices).toEqual([]);
    });

    it('has no EntityManager: a statement sent through one would run outside the transaction', async () => {
      await expect(
        uow().run(
          async (tx) => {
            await tx.sql('insert into batch_probe (id, note, n) values (?, ?, ?)', [22, 'early', 0]);
            await tx.em.execute('select 1');
          },
          { direct: true },
        ),
      ).rejects.toThrow('no EntityManager');
      expect((await rows()).map((r) => r.id)).not.toContain(22);
    });

    it('a connection lost in the middle is closed, not pooled, and the next transaction gets a new one', async () => {
      await expect(
        uow().run(
          async (tx) => {
            await tx.sql('insert into batch_probe (id, note, n) values (?, ?, ?)', [23, 'lost', 0]);
            await tx.sql('select pg_terminate_backend(pg_backend_pid())', []);
          },
          { direct: true },
        ),
      ).rejects.toThrow();
      const lost = pooled;
      await uow().run(async (tx) => tx.writeLater(INSERT, [24, 'next', null, null, 0]), { direct: true });
      await watch();
      expect(pooled).not.toBe(lost);
      expect((await rows()).map((r) => r.id)).toEqual(expect.arrayContaining([24]));
      expect((await rows()).map((r) => r.id)).not.toContain(23);
    });
  });

  describe('Tx.sql: statements asked for in the same turn go in one round trip', () => {
    const uow = () => new UnitOfWork(orm.em, new EventEmitter2());

    it('answers each its own rows, its values converted as pg converts a query’s (arrays, instants)', async () => {
      const at = new Date('2026-12-05T21:30:00.250Z');
      const [listed, counted, alone] = await uow().run(async (tx) => {
        const together = await Promise.all([
          tx.sql<{ tags: string[]; at: string | Date }>('select ?::text[] as tags, ?::timestamptz as at', [
            ['a', 'b,c', 'd"e'],
            at,
          ]),
          tx.sql<{ n: number }>('select ?::int + 1 as n', [41]),
        ]);
        return [...together, await tx.sql<{ n: number }>('select ?::int as n', [7])] as const;
      });
      expect(listed.map((r) => ({ ...r, at: new Date(r.at).toISOString() }))).toEqual([
        { tags: ['a', 'b,c', 'd"e'], at: at.toISOString() },
      ]);
      expect(counted).toEqual([{ n: 42 }]);
      expect(alone).toEqual([{ n: 7 }]);
    });

    it('one round trip: when one fails, the others fail with its error, not with “transaction aborted”', async () => {
      const outcomes: PromiseSettledResult<unknown>[] = [];
      await expect(
        uow().run(async (tx) => {
          outcomes.push(
            ...(await Promise.allSettled([
              tx.sql('select 1 as before', []),
              tx.sql('select 1 / ?::int as x', [0]),
              tx.sql('select 2 as after', []),
            ])),
          );
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      const reasons = outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : 'answered'));
      // Sent one by one, the first would answer and the last fail with "current transaction is aborted".
      expect(reasons).toEqual([expect.stringMatching(/division by zero/), ...Array(2).fill(reasons[0])]);
      // The connection is usable after the failed pipeline.
      expect(await uow().run((tx) => tx.sql('select 3 as n', []))).toEqual([{ n: 3 }]);
    });
  });

  it('refuses to run outside a transaction', async () => {
    await expect(runPreparedBatch(orm.em.fork(), [{ sql: BUMP, params: [1, '', 2] }])).rejects.toThrow(/transaction/);
  });

  describe('preparedRows (one statement: on the pool outside a transaction, in it inside one)', () => {
    const SELECT = 'select id, note, at, ok, n, array[n, n + 1] as pair from batch_probe where id = ?';

    it('answers rows parsed as em.execute parses them, and MikroORM’s typed exceptions', async () => {
      await run([{ sql: INSERT, params: [40, 'p', new Date('2026-12-05T01:02:03.456Z'), true, 7] }]);
      const em = orm.em.fork();
      const rows = await preparedRows(em, SELECT, [40]);
      expect(rows).toEqual(await em.execute(SELECT, [40]));
      expect(rows).toHaveLength(1);
      await expect(preparedRows(em, INSERT, [40, 'again', null, false, 0])).rejects.toBeInstanceOf(
        UniqueConstraintViolationException,
      );
    });

    it('runs in the transaction it is given: its rows are seen there and gone with a rollback', async () => {
      await expect(
        orm.em.fork().transactional(async (em) => {
          await em.execute('insert into batch_probe (id, note, ok, n) values (41, ?, true, 1)', ['tx']);
          expect(await preparedRows(em, SELECT, [41])).toHaveLength(1);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await preparedRows(orm.em.fork(), SELECT, [41])).toEqual([]);
    });

    it('opens the connection again after the ORM closed it, as em.execute does', async () => {
      await orm.close();
      expect(await preparedRows(orm.em.fork(), SELECT, [40])).toHaveLength(1);
    });
  });
});
