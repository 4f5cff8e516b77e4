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

/** How often an instance looks for shops whose windows are behind (an index read; none until Nairobi midnight). */
const ROLL_INTERVAL_MS = 60_000;
const INTERVAL = 'analytics-spend-windows';

/**
 * The top customers of the last 7, 30 and 90 Nairobi days, kept by the database as payments and cancellations change
 * the order facts (migration 20261204000100: a trigger, and a roll that takes out the days leaving a shop's windows
 * after midnight). This side moves the windows — every minute on every instance, and at once when a report finds its
 * shop's behind — and reads them when a report's range is exactly a current window.
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

  /**
   * Moves every shop's windows that do not end today (Nairobi), shop by shop, each in its own transaction; returns
   * how many shops moved. One pass at a time here.
   */
  roll(): Promise<number> {
    this.rolling ??= this.rollDue().finally(() => (this.rolling = undefined));
    return this.rolling;
  }

  private async rollDue(): Promise<number> {
    const em = this.em.fork();
    let shops = 0;
    try {
      // At most 100,000 shops a pass: a shop that would not move cannot keep a pass going.
      for (let pass = 0; pass < 1000; pass++) {
        // A shop's three windows move together: its 7-day one says whether it is behind.
        const due = await em.execute<{ seller_id: string }[]>(
          `select seller_id from analytics_spend_windows
           where days = 7 and start_day < (now() at time zone '${NAIROBI}')::date - 6 limit 100`,
        );
        for (const { seller_id } of due) await this.rollShop(em, seller_id);
        shops += due.length;
        if (due.length < 100) break;
      }
    } catch (error) {
      this.logger.warn(`customer spend windows not moved: ${String(error)}`);
      throw error;
    }
    if (shops) this.logger.log(`moved the customer spend windows of ${shops} shop(s) to today`);
    return shops;
  }

  private async rollShop(em: EntityManager, sellerId: string): Promise<void> {
    await em.execute('select analytics_customer_spend_roll(?)', [sellerId]);
  }

  /**
   * The ten biggest spenders of `r` when one of the shop's windows is exactly that range and current (it ends today,
   * Nairobi, by the database's clock); undefined otherwise — an explicit range, a shop without a paid order yet, or a
   * window not yet moved past midnight (which this moves at once, for the next report).
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
           select customer_id, spent_kes, orders from analytics_customer_spend s
           where s.seller_id = w.seller_id and s.days = w.days order by spent_kes desc, customer_id limit 10
         ) t on w.start_day = ?::date
         where w.seller_id = ? and w.days = ?`,
        [r.from, r.to, r.to, r.from, r.from, sellerId, r.days],
      ),
    );
    if (!rows.length) return undefined;
    if (!rows[0].current) {
      if (rows[0].behind) void this.rollShop(this.em.fork(), sellerId).catch(() => undefined);
      return undefined;
    }
    return rows
      .filter((x) => x.id !== null)
      .map((x) => ({ id: String(x.id), spent: Number(x.spent), orders: Number(x.orders) }));
  }
}
