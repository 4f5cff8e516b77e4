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

  describe('UnitOfWork with commitWithWrites', () => {
    const uow = () => new UnitOfWork(orm.em, new EventEmitter2());
    const notices: string[] = [];
    beforeAll(async () => {
      const pool = await orm.em.getConnection().getNativeClient();
      // One connection in this pool: what PostgreSQL says on it is heard here.
      const client = await pool.connect();
      client.on('notice', (n: { message?: string }) => notices.push(n.message ?? ''));
      client.release();
    });
    it('commits in the round trip of the held-back writes, and the driver’s own COMMIT ends an empty transaction quietly', async () => {
      const value = await uow().run(
        async (tx) => {
          await tx.sql('insert into batch_probe (id, note, n) values (?, ?, ?)', [20, 'early', 0]);
          tx.writeLater(BUMP, [5, '+late', 20]);
          return 'done';
        },
        { commitWithWrites: true },
      );
      expect(value).toBe('done');
      expect((await rows()).find((r) => r.id === 20)).toMatchObject({ note: 'early+late', n: 5 });
      expect(notices).toEqual([]);
      // The connection went back to the pool outside any transaction: the next one runs as usual.
      await uow().run(async (tx) => tx.writeLater(BUMP, [1, '', 20]), { commitWithWrites: true });
      expect((await rows()).find((r) => r.id === 20)!.n).toBe(6);
      expect(notices).toEqual([]);
    });

    it('answers a work committed with its writes, hooks run, when only the empty transaction after it fails', async () => {
      const connection = orm.em.getConnection();
      const commit = connection.commit.bind(connection);
      // The connection lost between the two commits: MikroORM's own COMMIT fails once.
      connection.commit = () => {
        connection.commit = commit;
        return Promise.reject(new Error('Connection terminated unexpectedly'));
      };
      let hooked = false;
      const value = await uow().run(
        async (tx) => {
          tx.writeLater(INSERT, [30, 'kept', null, null, 0]);
          tx.afterCommit(() => {
            hooked = true;
          });
          return 'placed';
        },
        { commitWithWrites: true },
      );
      expect(value).toBe('placed');
      expect(hooked).toBe(true);
      expect((await rows()).map((r) => r.id)).toContain(30);
      // Without commitWithWrites the same failure is the work's failure: nothing was committed before it.
      connection.commit = () => {
        connection.commit = commit;
        return Promise.reject(new Error('Connection terminated unexpectedly'));
      };
      await expect(uow().run(async (tx) => tx.writeLater(INSERT, [31, 'lost', null, null, 0]))).rejects.toThrow(
        'Connection terminated',
      );
      expect((await rows()).map((r) => r.id)).not.toContain(31);
    });

    it('a held-back write that fails commits nothing, not even what the work wrote before it', async () => {
      await expect(
        uow().run(
          async (tx) => {
            await tx.sql('insert into batch_probe (id, note, n) values (?, ?, ?)', [21, 'early', 0]);
            tx.writeLater(INSERT, [1, 'dup', null, null, 0]);
          },
          { commitWithWrites: true },
        ),
      ).rejects.toBeInstanceOf(UniqueConstraintViolationException);
      expect((await rows()).map((r) => r.id)).not.toContain(21);
      expect(notices).toEqual([]);
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
