import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DomainEvent, DOMAIN_EVENT_CHANNEL } from '../events/domain-event.js';
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

/** What a use case gets inside its transaction: the transactional EntityManager and a way to publish events. */
export class Tx {
  constructor(
    readonly em: EntityManager,
    private readonly emitter: EventEmitter2,
    private readonly commitHooks: (() => void)[],
  ) {}

  /**
   * Publishes a domain event inside this transaction. Listeners (the outbox) write their rows with
   * `tx.em`, so the event is stored if and only if the change commits.
   */
  async publish<N extends EventName>(event: DomainEvent<N>): Promise<void> {
    const envelope: DomainEventEnvelope = { event: event, tx: this };
    await this.emitter.emitAsync(DOMAIN_EVENT_CHANNEL, envelope);
  }

  /**
   * Tells the other modules about a change, typed by the internal catalogue: their in-transaction listeners run now
   * (with `tx.em`, in this transaction), their after-commit listeners once it commits.
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
    const rows =
      asked.length === 1
        ? preparedRows<unknown>(this.em, asked[0].sql, asked[0].params).then((r) => [r])
        : runPreparedBatch(this.em, asked);
    rows.then(
      (all) => asked.forEach((a, i) => a.resolve(all[i])),
      (error: unknown) => asked.forEach((a) => a.reject(error)),
    );
  }

  /**
   * Several statements in one round trip (prepared, pipelined: see prepared-batch.ts), in this transaction: the rows of
   * each one marked `read`. For a hot path's statements that take locks others wait on, back to back.
   */
  batch(statements: readonly BatchStatement[]): Promise<unknown[][]> {
    return runPreparedBatch(this.em, statements);
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
   * With `commit`, the COMMIT goes in the same round trip, so the rows these writes (and the transaction's earlier
   * statements) lock are released with their answer instead of one round trip later; a BEGIN follows it, so the
   * driver's own COMMIT, which MikroORM still sends, ends an empty transaction instead of warning "there is no
   * transaction in progress". An error before it stops the pipeline there: nothing is committed, and MikroORM's
   * ROLLBACK ends the transaction as for any failed statement.
   */
  async flushWrites(commit = false): Promise<void> {
    if (!this.pending.length) return;
    const writes = this.pending.splice(0);
    if (commit) writes.push({ sql: 'commit', params: [] }, { sql: 'begin', params: [] });
    await runPreparedBatch(this.em, writes);
    if (commit) this.committed = true;
  }

  /** Whether this transaction's work is committed already (flushWrites with `commit` answered). */
  committed = false;
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
   * `commitWithWrites`: the transaction commits in the round trip of its held-back writes (see Tx.flushWrites), for a
   * hot path whose locks other requests queue on (order placement). Its entities are flushed first, so nothing is
   * left for MikroORM to write after that commit.
   */
  async run<T>(work: (tx: Tx) => Promise<T>, options: { commitWithWrites?: boolean } = {}): Promise<T> {
    const hooks: (() => void)[] = [];
    let tx: Tx | undefined;
    let value!: T;
    try {
      await this.em.fork().transactional(async (em) => {
        tx = new Tx(em, this.emitter, hooks);
        value = await work(tx);
        if (options.commitWithWrites) await em.flush();
        await tx.flushWrites(options.commitWithWrites);
      });
    } catch (error) {
      // The work was committed with its writes; only the empty transaction after it failed (the connection dropped):
      // the change stands, so it is answered, and its after-commit hooks run, as committed.
      if (!tx?.committed) throw error;
      this.logger.warn(`committed; closing the empty transaction after it failed: ${String(error)}`);
    }
    for (const hook of hooks) {
      try {
        hook();
      } catch (error) {
        this.logger.error(`after-commit hook failed: ${String(error)}`);
      }
    }
    return value;
  }

  /** A fresh EntityManager for reads outside any request context (jobs, workers). */
  fork(): EntityManager {
    return this.em.fork();
  }
}
