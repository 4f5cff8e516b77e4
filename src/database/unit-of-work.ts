import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DomainEvent, DOMAIN_EVENT_CHANNEL } from '../events/domain-event.js';
import { DirectConnection } from './direct-connection.js';
import { preparedRows } from './prepared.js';
import { type BatchStatement, runPreparedBatch } from './prepared-batch.js';
import { type EventName } from '../events/event-catalogue.js';
import {
  committedChannel,
  type InternalEventName,
  type InternalEvents,
  inTransactionChannel,
} from '../events/internal-events.js';

const afterCommitLogger = new Logger('AfterCommit');

const BEGIN: BatchStatement = { sql: 'begin', params: [] };
const COMMIT: BatchStatement = { sql: 'commit', params: [] };

/** What a use case gets inside its transaction: the transactional EntityManager and a way to publish events. */
export class Tx {
  constructor(
    private readonly manager: EntityManager,
    private readonly emitter: EventEmitter2,
    private readonly commitHooks: (() => void)[],
    /** The transaction runs on a connection of its own, outside MikroORM (UnitOfWork.run with `direct`). */
    private readonly direct?: DirectConnection,
  ) {}

  /** The transaction's EntityManager; none in a `direct` transaction, whose statements go by sql, batch, writeLater. */
  get em(): EntityManager {
    if (this.direct) throw new Error('a direct transaction has no EntityManager: use tx.sql, tx.batch, tx.writeLater');
    return this.manager;
  }

  /**
   * Publishes a domain event inside this transaction. Listeners (the outbox) write their rows in it (tx.writeLater),
   * so the event is stored if and only if the change commits.
   */
  async publish<N extends EventName>(event: DomainEvent<N>): Promise<void> {
    const envelope: DomainEventEnvelope = { event: event, tx: this };
    await this.emitter.emitAsync(DOMAIN_EVENT_CHANNEL, envelope);
  }

  /**
   * Tells the other modules about a change, typed by the internal catalogue: their in-transaction listeners run now
   * (with `tx`, in this transaction), their after-commit listeners once it commits.
   */
  async emit<N extends InternalEventName>(name: N, payload: InternalEvents[N]): Promise<void> {
    const envelope: InternalEnvelope<N> = { payload, tx: this };
    await this.emitter.emitAsync(inTransactionChannel(name), envelope);
    // Nothing to schedule for an event no after-commit listener hears (`shop.writing`, said on every order).
    if (!this.emitter.listenerCount(committedChannel(name))) return;
    this.afterCommit(() => {
      this.emitter
        .emitAsync(committedChannel(name), payload)
        .catch((error: unknown) => afterCommitLogger.error(`${name} listener failed: ${String(error)}`));
    });
  }

  /**
   * Rows of a statement run in this transaction as a prepared statement (a hot path's fixed text; see prepared.ts).
   * Statements asked for in the same turn of the event loop (independent reads started together, as an order's
   * before its locks) go in one round trip, in the order they were asked for; when one fails, all of them fail with
   * its error, as the transaction does. Asked for alone, a statement goes alone. They leave at the end of the turn:
   * a statement sent another way in the same turn (em, tx.batch) goes before them, so await them first.
   */
  sql<R>(text: string, values: readonly unknown[]): Promise<R[]> {
    return new Promise<R[]>((resolve, reject) => {
      const settle = resolve as (rows: unknown[]) => void;
      this.asked.push({ sql: text, params: values, read: true, resolve: settle, reject });
      if (this.asked.length === 1) process.nextTick(() => this.sendAsked());
    });
  }

  private readonly asked: AskedStatement[] = [];

  private sendAsked(): void {
    const asked = this.asked.splice(0);
    this.send(asked).then(
      (all) => asked.forEach((a, i) => a.resolve(all[i])),
      (error: unknown) => asked.forEach((a) => a.reject(error)),
    );
  }

  /**
   * One round trip of statements in this transaction. A `direct` transaction's first one carries its BEGIN in front:
   * the BEGIN costs no round trip of its own.
   */
  private async send(statements: readonly BatchStatement[]): Promise<unknown[][]> {
    const executor = this.direct?.executor;
    if (this.direct && !this.direct.begun) {
      this.direct.begun = true;
      return (await runPreparedBatch(this.manager, [BEGIN, ...statements], executor)).slice(1);
    }
    if (statements.length === 1) {
      return [await preparedRows<unknown>(this.manager, statements[0].sql, statements[0].params, executor)];
    }
    return runPreparedBatch(this.manager, statements, executor);
  }

  /**
   * Several statements in one round trip (prepared, pipelined: see prepared-batch.ts), in this transaction: the rows of
   * each one marked `read`. For a hot path's statements that take locks others wait on, back to back.
   */
  batch(statements: readonly BatchStatement[]): Promise<unknown[][]> {
    return this.send(statements);
  }

  private readonly memos = new Map<string, Promise<unknown>>();

  /**
   * The value of `compute` for `key`, computed once per transaction: a use case that publishes a thousand events
   * (a bulk import) looks its subscribers up once, not a thousand times.
   */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
    let value = this.memos.get(key) as Promise<T> | undefined;
    if (!value) {
      value = compute();
      this.memos.set(key, value);
    }
    return value;
  }

  /** Runs `hook` once the transaction has committed (never when it rolls back). */
  afterCommit(hook: () => void): void {
    this.commitHooks.push(hook);
  }

  private readonly pending: BatchStatement[] = [];

  /**
   * A write whose result nobody reads, run at the end of the transaction together with the others in one round trip
   * (counters, roll-ups, the outbox): the rows it locks are held only for that last statement and the commit. It
   * fails the transaction like any other statement.
   */
  writeLater(sql: string, params: unknown[]): void {
    this.pending.push({ sql, params });
  }

  /**
   * Runs the writes held back by writeLater as prepared statements in one round trip (a pipeline: see
   * prepared-batch.ts); UnitOfWork calls it before commit. Before, they went as one multi-statement text, which
   * PostgreSQL parsed and planned on every order; one by one as prepared statements, the extra round trips cost the
   * app more CPU than the parsing saved PostgreSQL, and held the shop's hot rows longer.
   *
   * A `direct` transaction ends here: its COMMIT goes in the same round trip, alone when nothing is held back, so the
   * rows these writes (and the transaction's earlier statements) lock are released with their answer. An error before
   * it stops the pipeline there: nothing is committed, and the connection's release rolls back.
   */
  async flushWrites(): Promise<void> {
    const writes = this.pending.splice(0);
    // Nothing sent and nothing held back: no transaction was begun, none to commit.
    if (this.direct && (writes.length || this.direct.begun)) writes.push(COMMIT);
    if (writes.length) await this.send(writes);
  }
}

/** A statement asked for with Tx.sql, waiting for the end of the turn to be sent. */
interface AskedStatement extends BatchStatement {
  resolve: (rows: unknown[]) => void;
  reject: (error: unknown) => void;
}

/** What an in-transaction internal listener receives. */
export interface InternalEnvelope<N extends InternalEventName> {
  payload: InternalEvents[N];
  tx: Tx;
}

export interface DomainEventEnvelope {
  event: DomainEvent;
  tx: Tx;
}

/** Runs one use case in one database transaction; services own their transactions through this. */
@Injectable()
export class UnitOfWork {
  private readonly logger = new Logger(UnitOfWork.name);

  constructor(
    private readonly em: EntityManager,
    private readonly emitter: EventEmitter2,
  ) {}

  /**
   * `direct`: the transaction runs on a pooled connection of its own, outside MikroORM (see DirectConnection), its
   * BEGIN sent with its first statements and its COMMIT with its held-back writes (Tx.flushWrites): for a hot path
   * whose locks other requests queue on (order placement), the rows are released with that round trip's answer, and
   * the transaction costs two round trips fewer. Its work uses tx.sql, tx.batch and tx.writeLater (no tx.em).
   */
  async run<T>(work: (tx: Tx) => Promise<T>, options: { direct?: boolean } = {}): Promise<T> {
    const hooks: (() => void)[] = [];
    const value = options.direct ? await this.runDirect(work, hooks) : await this.runManaged(work, hooks);
    for (const hook of hooks) {
      try {
        hook();
      } catch (error) {
        this.logger.error(`after-commit hook failed: ${String(error)}`);
      }
    }
    return value;
  }

  private async runManaged<T>(work: (tx: Tx) => Promise<T>, hooks: (() => void)[]): Promise<T> {
    return this.em.fork().transactional(async (em) => {
      const tx = new Tx(em, this.emitter, hooks);
      const value = await work(tx);
      await tx.flushWrites();
      return value;
    });
  }

  private async runDirect<T>(work: (tx: Tx) => Promise<T>, hooks: (() => void)[]): Promise<T> {
    const connection = await DirectConnection.take(this.em);
    let failed = true;
    try {
      const tx = new Tx(this.em, this.emitter, hooks, connection);
      const value = await work(tx);
      await tx.flushWrites();
      failed = false;
      return value;
    } finally {
      await connection.release(failed);
    }
  }

  /** A fresh EntityManager for reads outside any request context (jobs, workers). */
  fork(): EntityManager {
    return this.em.fork();
  }
}
