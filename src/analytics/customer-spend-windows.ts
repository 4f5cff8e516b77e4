import { EntityManager } from '@mikro-orm/postgresql';
import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { NAIROBI } from '../common/time.js';
import { ReadReplica } from '../database/read-replica.service.js';
import type { DayRange } from './period.js';

export interface TopSpender {
  id: string;
  spent: number;
  orders: number;
}

/** How often an instance asks the database to move the windows; a no-op without a lock until Nairobi midnight. */
const ROLL_INTERVAL_MS = 60_000;
const INTERVAL = 'analytics-spend-windows';

/**
 * The top customers of the last 7, 30 and 90 Nairobi days, kept by the database as payments and cancellations change
 * the order facts (migration 20261204000100: a trigger, and a roll that takes out the day leaving each window at
 * midnight). This side moves the windows — every minute on every instance, and at once when a report finds one behind
 * — and reads them when a report's range is exactly a current window.
 */
@Injectable()
export class CustomerSpendWindows implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CustomerSpendWindows.name);
  private rolling?: Promise<number>;

  constructor(
    private readonly em: EntityManager,
    private readonly replica: ReadReplica,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler.addInterval(
      INTERVAL,
      setInterval(() => void this.roll().catch(() => undefined), ROLL_INTERVAL_MS),
    );
    void this.roll().catch(() => undefined);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', INTERVAL)) this.scheduler.deleteInterval(INTERVAL);
    await this.rolling?.catch(() => undefined);
  }

  /** Moves the windows to end today (Nairobi) if they do not; returns how many moved. One roll at a time here. */
  roll(): Promise<number> {
    this.rolling ??= this.em
      .fork()
      .execute<{ moved: number }[]>('select analytics_customer_spend_roll() as moved')
      .then(([r]) => {
        if (r.moved) this.logger.log(`moved ${r.moved} customer spend window(s) to today`);
        return r.moved;
      })
      .catch((error: unknown) => {
        this.logger.warn(`customer spend windows not moved: ${String(error)}`);
        throw error;
      })
      .finally(() => (this.rolling = undefined));
    return this.rolling;
  }

  /**
   * The ten biggest spenders of `r` when a window is exactly that range and current (it ends today, Nairobi, by the
   * database's clock); undefined otherwise — an explicit range, or a window not yet moved past midnight (which this
   * asks to move).
   */
  async top(sellerId: string, r: DayRange): Promise<TopSpender[] | undefined> {
    const rows = await this.replica.run((db) =>
      db.execute<
        { current: boolean; behind: boolean; id: string | null; spent: string | null; orders: number | null }[]
      >(
        `select w.start_day = ?::date and w.start_day + (w.days - 1) = ?::date
                  and ?::date >= (now() at time zone '${NAIROBI}')::date as current,
                w.start_day < ?::date as behind,
                t.customer_id as id, t.spent_kes as spent, t.orders
         from analytics_spend_windows w
         left join lateral (
           select customer_id, spent_kes, orders from analytics_customer_spend
           where seller_id = ? and days = w.days order by spent_kes desc, customer_id limit 10
         ) t on w.start_day = ?::date
         where w.days = ?`,
        [r.from, r.to, r.to, r.from, sellerId, r.from, r.days],
      ),
    );
    if (!rows.length) return undefined;
    if (!rows[0].current) {
      if (rows[0].behind) void this.roll().catch(() => undefined);
      return undefined;
    }
    return rows
      .filter((x) => x.id !== null)
      .map((x) => ({ id: String(x.id), spent: Number(x.spent), orders: Number(x.orders) }));
  }
}
