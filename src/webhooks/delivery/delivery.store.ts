import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { preparedRows } from '../../database/prepared.js';
import type { DomainEvent } from '../../events/domain-event.js';
import { newId } from '../../ids/ids.js';
import { currentTraceParent } from '../../telemetry/trace-context.js';
import type { DeliveryDraft } from '../subscriptions/subscriber-source.js';

export interface ClaimedDelivery {
  id: string;
  eventId: string;
  sellerId: string;
  subscriberKind: string;
  subscriptionId: string;
  eventName: string;
  url: string;
  body: string;
  attempts: number;
  maxAttempts: number;
  claimToken: string;
  occurredAt: Date;
  /** A seller's test send: goes out while the endpoint is off, never counts toward auto-disable. */
  test: boolean;
  /** Part of a resumed backlog: once attempted, the next one in line is released. */
  backlog: boolean;
  /** The W3C traceparent of the request that made the event (null when tracing was off). */
  traceParent: string | null;
}

export interface AttemptRecord {
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
  /** What was sent (null when nothing was: the subscription was gone). */
  requestHeaders: Record<string, string> | null;
  /** Where it was sent, when that is not the URL the delivery was queued with (the subscription's URL changed). */
  sentTo?: string;
}

/** What happens to a delivery after an attempt. */
export type Disposition = { status: 'SUCCEEDED' } | { status: 'FAILED' } | { status: 'PENDING'; retryInMs: number };

interface ClaimRow {
  id: string;
  event_id: string;
  seller_id: string;
  subscriber_kind: string;
  subscription_id: string;
  event_name: string;
  url: string;
  body: string;
  attempts: number;
  max_attempts: number;
  claim_token: string;
  occurred_at: Date | string;
  trace_parent: string | null;
  test: boolean;
  backlog: boolean;
}

/** The queue's SQL: one statement per step, so the hot path stays a handful of round trips. */
@Injectable()
export class DeliveryStore {
  /**
   * Writes the event and its deliveries with the caller's (transactional) EntityManager. Parked ones are PAUSED and
   * looked at once after `recheckMs` (in case the endpoint was switched on while this transaction ran).
   */
  async insert(
    em: EntityManager,
    event: DomainEvent,
    drafts: (DeliveryDraft & { kind: string })[],
    opts: { maxAttempts: number; recheckMs: number; test?: boolean },
  ): Promise<string[]> {
    const { sql, params, ids } = this.insertStatement(event, drafts, opts);
    await em.execute(sql, params);
    return ids;
  }

  /** The event and its deliveries as one statement, for a caller that runs it later in its transaction. */
  insertStatement(
    event: DomainEvent,
    drafts: (DeliveryDraft & { kind: string })[],
    opts: { maxAttempts: number; recheckMs: number; test?: boolean },
  ): { sql: string; params: unknown[]; ids: string[] } {
    const rows = drafts.map((d) => ({
      id: newId('delivery'),
      subscription_id: d.subscriptionId,
      subscriber_kind: d.kind,
      event_name: d.eventName ?? event.name,
      url: d.url,
      body: d.body,
      parked: d.parked ?? false,
    }));
    // One statement for the event and its deliveries: the outbox costs a single round trip per event.
    const sql = `with e as (
         insert into webhook_events (id, seller_id, name, data, occurred_at, trace_parent)
         values (?, ?, ?, ?::json, ?, ?)
         returning id, seller_id
       )
       insert into webhook_deliveries (id, event_id, seller_id, subscriber_kind, subscription_id, event_name, url,
         body, max_attempts, test, status, next_attempt_at, created_at)
       select x.id, e.id, e.seller_id, x.subscriber_kind, x.subscription_id, x.event_name, x.url, x.body, ?, ?,
              case when x.parked then 'PAUSED' else 'PENDING' end,
              case when x.parked then now() + make_interval(secs => ?::double precision / 1000) else now() end, now()
       from e, json_to_recordset(?::json)
         as x(id text, subscription_id text, subscriber_kind text, event_name text, url text, body text,
              parked boolean)`;
    const params = [
      event.id,
      event.sellerId,
      event.name,
      JSON.stringify(event.data),
      event.occurredAt,
      // The request's trace, so each later delivery attempt joins the order's story.
      currentTraceParent(),
      opts.maxAttempts,
      opts.test ?? false,
      opts.recheckMs,
      JSON.stringify(rows),
    ];
    return { sql, params, ids: rows.map((r) => r.id) };
  }

  /**
   * Claims up to `limit` due deliveries (new, retries, or leases left by a crashed worker). SKIP LOCKED lets any
   * number of instances claim side by side; the lease moves next_attempt_at forward so a crash only delays.
   */
  async claim(
    em: EntityManager,
    limit: number,
    leaseMs: number,
    skipSubscriptions: string[],
  ): Promise<ClaimedDelivery[]> {
    // Prepared (parsed once per connection, parameters apart from the text): it runs every claim round.
    const rows = await preparedRows<ClaimRow>(
      em,
      `with due as (
         select id from webhook_deliveries
         where status in ('PENDING', 'PAUSED') and next_attempt_at <= now()
           and not (subscription_id = any (select json_array_elements_text(?::json)))
         order by next_attempt_at
         limit ?
         for update skip locked
       ), claimed as (
         update webhook_deliveries d
         set next_attempt_at = now() + make_interval(secs => ?::double precision / 1000),
           claim_token = gen_random_uuid()
         from due where d.id = due.id
         returning d.*
       )
       select c.*, e.occurred_at, e.trace_parent from claimed c join webhook_events e on e.id = c.event_id`,
      [JSON.stringify(skipSubscriptions), limit, leaseMs],
    );
    return rows.map((r) => ({
      id: r.id,
      eventId: r.event_id,
      sellerId: r.seller_id,
      subscriberKind: r.subscriber_kind,
      subscriptionId: r.subscription_id,
      eventName: r.event_name,
      url: r.url,
      body: r.body,
      attempts: r.attempts,
      maxAttempts: r.max_attempts,
      claimToken: r.claim_token,
      occurredAt: new Date(r.occurred_at),
      test: r.test,
      backlog: r.backlog,
      traceParent: r.trace_parent,
    }));
  }

  /**
   * Records attempts and where each delivery goes next, in one statement (the engine batches the attempts that finish
   * together); answers the ids that were recorded (a lease lost to another worker records nothing).
   */
  async recordMany(
    em: EntityManager,
    items: { delivery: ClaimedDelivery; attempt: AttemptRecord; next: Disposition }[],
  ): Promise<Set<string>> {
    const rows = items.map(({ delivery, attempt, next }) => ({
      id: delivery.id,
      token: delivery.claimToken,
      status: next.status,
      retry_ms: next.status === 'PENDING' ? next.retryInMs : 0,
      attempt_id: newId('attempt'),
      started_at: attempt.startedAt.toISOString(),
      duration_ms: attempt.durationMs,
      code: attempt.statusCode,
      error: attempt.error,
      excerpt: attempt.responseExcerpt,
      headers: attempt.requestHeaders,
      url: attempt.sentTo ?? null,
    }));
    // Prepared: the attempts' JSON (request headers, response excerpts) travels as a parameter, never escaped into
    // the text, and the statement is parsed once per connection.
    const done = await preparedRows<{ id: string }>(
      em,
      `with x as (
         select * from json_to_recordset(?::json) as x(id text, token uuid, status text, retry_ms double precision,
           attempt_id text, started_at timestamptz, duration_ms int, code int, error text, excerpt text, headers jsonb,
           url text)
       ), updated as (
         update webhook_deliveries d
         set status = x.status, attempts = d.attempts + 1, last_status_code = x.code, last_error = x.error,
             claim_token = null, backlog = false, url = coalesce(x.url, d.url),
             next_attempt_at = now() + make_interval(secs => x.retry_ms / 1000),
             completed_at = case when x.status = 'PENDING' then null else now() end
         from x where d.id = x.id and d.claim_token = x.token
         returning d.id, d.attempts
       )
       insert into webhook_attempts (id, delivery_id, attempt, started_at, duration_ms, status_code, error,
         response_excerpt, request_headers)
       select x.attempt_id, u.id, u.attempts, x.started_at, x.duration_ms, x.code, x.error, x.excerpt, x.headers
       from updated u join x on x.id = u.id
       returning delivery_id as id`,
      [JSON.stringify(rows)],
    );
    return new Set(done.map((r) => r.id));
  }

  /**
   * Parks a delivery whose subscription is switched off; re-enabling resumes it (no attempt is spent). Paused for the
   * first time, it is looked at again after `recheckMs`, so a pause that raced with re-enabling heals by itself; found
   * still off then, it waits for the resume alone (which by then sees it), so a long backlog costs nothing meanwhile.
   */
  async pause(em: EntityManager, delivery: ClaimedDelivery, recheckMs: number): Promise<void> {
    await em.execute(
      `update webhook_deliveries set claim_token = null,
         next_attempt_at = case when status = 'PAUSED' then 'infinity'
           else now() + make_interval(secs => ?::double precision / 1000) end,
         status = 'PAUSED'
       where id = ? and claim_token = ?::uuid`,
      [recheckMs, delivery.id, delivery.claimToken],
    );
  }

  /** Gives claimed deliveries back, due now (shutdown, or over the per-subscription limit). */
  async release(em: EntityManager, deliveries: ClaimedDelivery[], delayMs = 0): Promise<void> {
    if (!deliveries.length) return;
    await em.execute(
      `update webhook_deliveries d set claim_token = null,
       next_attempt_at = now() + make_interval(secs => ?::double precision / 1000)
       from json_to_recordset(?::json) as x(id text, token uuid) where d.id = x.id and d.claim_token = x.token`,
      [delayMs, JSON.stringify(deliveries.map((d) => ({ id: d.id, token: d.claimToken })))],
    );
  }

  /**
   * A subscription switched back on: its paused deliveries (and any claimed right now: those claims were heading to a
   * pause; dropping their token makes that pause a no-op) become a backlog sent one at a time in the order they
   * happened: the oldest is due now, each of the others once the one before it has been attempted.
   */
  async resume(em: EntityManager, kind: string, subscriptionId: string, maxAttempts: number): Promise<number> {
    const rows = await em.execute<{ id: string }[]>(
      `with locked as (
         select id, created_at from webhook_deliveries
         where subscriber_kind = ? and subscription_id = ?
           and (status = 'PAUSED' or (status = 'PENDING' and (claim_token is not null or backlog)))
         for update
       ), backlog as (
         select id, row_number() over (order by created_at, id) as n from locked
       )
       update webhook_deliveries d set status = 'PENDING', claim_token = null, completed_at = null, backlog = true,
              max_attempts = d.attempts + ?, next_attempt_at = case when b.n = 1 then now() else 'infinity' end
       from backlog b where d.id = b.id returning d.id`,
      [kind, subscriptionId, maxAttempts],
    );
    return rows.length;
  }

  /**
   * Deliveries of a subscription that were paused anyway in the moment it was switched back on (an engine read it as
   * off just before the switch committed) join the end of its backlog; releaseStalled gives the line a head if it
   * has none.
   */
  async adoptPaused(em: EntityManager, kind: string, subscriptionId: string): Promise<number> {
    const rows = await em.execute<{ id: string }[]>(
      `update webhook_deliveries
       set status = 'PENDING', backlog = true, next_attempt_at = 'infinity', claim_token = null
       where subscriber_kind = ? and subscription_id = ? and status = 'PAUSED' returning id`,
      [kind, subscriptionId],
    );
    return rows.length;
  }

  /** Makes the next delivery of a backlog due, once the one before it has been attempted. */
  async releaseNext(em: EntityManager, kind: string, subscriptionId: string): Promise<void> {
    await em.execute(
      `update webhook_deliveries set next_attempt_at = now() where id = (
         select id from webhook_deliveries
         where subscriber_kind = ? and subscription_id = ? and status = 'PENDING' and backlog
           and next_attempt_at = 'infinity'
         order by created_at, id limit 1 for update skip locked
       )`,
      [kind, subscriptionId],
    );
  }

  /**
   * Heals a backlog whose line stopped (an instance died between sending one delivery and releasing the next): for
   * each subscription whose backlog has no delivery due or in flight, the oldest waiting one is made due. Cheap when
   * there is nothing to heal (a partial index holds only backlog rows).
   */
  async releaseStalled(em: EntityManager): Promise<number> {
    const rows = await em.execute<{ id: string }[]>(
      `update webhook_deliveries set next_attempt_at = now() where id in (
         select distinct on (subscriber_kind, subscription_id) id from webhook_deliveries w
         where backlog and status = 'PENDING' and next_attempt_at = 'infinity'
           and not exists (
             select 1 from webhook_deliveries h
             where h.backlog and h.status = 'PENDING' and h.next_attempt_at <> 'infinity'
               and h.subscriber_kind = w.subscriber_kind and h.subscription_id = w.subscription_id
           )
         order by subscriber_kind, subscription_id, created_at, id
       ) returning id`,
    );
    return rows.length;
  }

  /** The seller chose to drop what was parked: each is closed as FAILED with the reason (recover can still send it). */
  async discardParked(em: EntityManager, kind: string, subscriptionId: string): Promise<number> {
    const rows = await em.execute<{ id: string }[]>(
      `update webhook_deliveries set status = 'FAILED', claim_token = null, completed_at = now(), backlog = false,
              last_error = 'Discarded: parked while the endpoint was off, dropped when it was switched back on'
       where subscriber_kind = ? and subscription_id = ?
         and (status = 'PAUSED' or (status = 'PENDING' and (claim_token is not null or backlog)))
       returning id`,
      [kind, subscriptionId],
    );
    return rows.length;
  }

  /** Parked deliveries per subscription, for the endpoint's `parkedDeliveries`. */
  async parkedCounts(em: EntityManager, kind: string, subscriptionIds: string[]): Promise<Map<string, number>> {
    if (!subscriptionIds.length) return new Map();
    const rows = await em.execute<{ subscription_id: string; n: string }[]>(
      `select subscription_id, count(*) as n from webhook_deliveries
       where subscriber_kind = ? and subscription_id in (select json_array_elements_text(?::json)) and status = 'PAUSED'
       group by subscription_id`,
      [kind, JSON.stringify(subscriptionIds)],
    );
    return new Map(rows.map((r) => [r.subscription_id, Number(r.n)]));
  }

  /** Queues deliveries again with a fresh set of attempts: redeliver, recover, and resuming paused ones. */
  async requeue(em: EntityManager, where: string, params: unknown[], maxAttempts: number): Promise<number> {
    const rows = await em.execute<{ id: string }[]>(
      `update webhook_deliveries set status = 'PENDING', next_attempt_at = now(), claim_token = null,
       completed_at = null, backlog = false,
              max_attempts = attempts + ? where ${where} returning id`,
      [maxAttempts, ...params],
    );
    return rows.length;
  }

  /**
   * Deletes finished and parked deliveries (and events left without any) older than the retention, a batch at a time.
   */
  async purge(em: EntityManager, olderThan: Date, batch: number): Promise<number> {
    const rows = await em.execute<{ id: string }[]>(
      `delete from webhook_deliveries where id in (
         select id from webhook_deliveries where created_at < ? and status in ('SUCCEEDED', 'FAILED', 'PAUSED') limit ?
       ) returning id`,
      [olderThan, batch],
    );
    await em.execute(
      `delete from webhook_events e where e.id in (
         select id from webhook_events where occurred_at < ? limit ?
       ) and not exists (select 1 from webhook_deliveries d where d.event_id = e.id)`,
      [olderThan, batch],
    );
    return rows.length;
  }
}
