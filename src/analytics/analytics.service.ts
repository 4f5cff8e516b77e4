import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { CustomersService } from '../customers/customers.service.js';
import { NAIROBI } from '../common/time.js';
import { ProductInsightsService } from '../products/product-insights.service.js';
import type {
  AnalyticsQuery,
  CustomersAnalyticsResponse,
  Metric,
  OverviewResponse,
  RangeInfo,
  RevenueResponse,
  SeriesQuery,
  TopProductsQuery,
  TopProductsResponse,
} from './dto/analytics.dto.js';
import { changePercent, type DayRange, resolveRange } from './period.js';
import { ReadReplica } from '../database/read-replica.service.js';
import { CustomerSpendWindows, type TopSpender } from './customer-spend-windows.js';

const TZ = NAIROBI;
/** A Nairobi date's midnight as a timestamptz (`?` is the YYYY-MM-DD date). */
const START = `((?::date)::timestamp at time zone '${TZ}')`;
/** The midnight after a Nairobi date: ranges are half-open, [from, to + 1 day). */
const END = `(((?::date) + 1)::timestamp at time zone '${TZ}')`;
const TRUNC = { daily: 'day', weekly: 'week', monthly: 'month' } as const;

function metric(value: number, previous: number): Metric {
  return { value, previous, changePercent: changePercent(value, previous) };
}

function info(r: DayRange): RangeInfo {
  return { from: r.from, to: r.to, previousFrom: r.previousFrom, previousTo: r.previousTo, timezone: TZ };
}

/**
 * Read-only SQL aggregates over analytics' own tables (kept from the internal order events in each order's
 * transaction), with names, phones, views and stock asked of the modules that own them; nothing is loaded row by row.
 */
@Injectable()
export class AnalyticsService {
  constructor(
    private readonly replica: ReadReplica,
    private readonly config: AppConfig,
    private readonly customerDirectory: CustomersService,
    private readonly products: ProductInsightsService,
    private readonly spendWindows: CustomerSpendWindows,
  ) {}

  /**
   * One statement under the longer analytics timeout (DB_ANALYTICS_STATEMENT_TIMEOUT_MS) instead of the request one,
   * with room to group a period's customers in memory (the default 4 MB spills a big shop's month to disk).
   */
  private read<T extends object[]>(sql: string, params: unknown[]): Promise<T> {
    // Analytics may lag a few seconds: on the read replica when there is a usable one (DATABASE_READ_URL).
    return this.replica.run((db) =>
      db.transactional(async (em) => {
        const timeout = Math.trunc(this.config.database.analyticsStatementTimeoutMs);
        await em.execute(`set local statement_timeout = ${timeout}; set local work_mem = '64MB'`);
        return em.execute<T>(sql, params);
      }),
    );
  }

  async overview(sellerId: string, q: AnalyticsQuery): Promise<OverviewResponse> {
    const r = resolveRange(q);
    const [[o], views] = await Promise.all([
      // The roll-up, not the orders: a few hundred rows whatever the shop's size.
      this.read<Record<string, string>[]>(
        `select coalesce(sum(orders) filter (where cur), 0) as orders, coalesce(sum(orders) filter (where not cur),
         0) as p_orders,
                coalesce(sum(paid_orders) filter (where cur), 0) as paid,
                  coalesce(sum(paid_orders) filter (where not cur), 0) as p_paid,
                coalesce(sum(revenue_kes) filter (where cur), 0) as revenue,
                  coalesce(sum(revenue_kes) filter (where not cur), 0) as p_revenue,
                coalesce(sum(new_customers) filter (where cur), 0) as customers,
                  coalesce(sum(new_customers) filter (where not cur), 0) as p_customers
         from (select day >= ?::date as cur, * from seller_daily_stats
               where seller_id = ? and day between ?::date and ?::date) s`,
        [r.from, sellerId, r.previousFrom, r.to],
      ),
      this.products.viewTotals(sellerId, r),
    ]);
    const n = (x: string | undefined) => Number(x ?? 0);
    const aov = (revenue: number, paid: number) => (paid ? Math.round(revenue / paid) : 0);
    const conversion = (orders: number, views: number) => (views ? Math.round((orders / views) * 10_000) / 10_000 : 0);
    return {
      range: info(r),
      revenueKes: metric(n(o.revenue), n(o.p_revenue)),
      orderCount: metric(n(o.orders), n(o.p_orders)),
      paidOrderCount: metric(n(o.paid), n(o.p_paid)),
      averageOrderValueKes: metric(aov(n(o.revenue), n(o.paid)), aov(n(o.p_revenue), n(o.p_paid))),
      newCustomers: metric(n(o.customers), n(o.p_customers)),
      conversionRate: metric(conversion(n(o.orders), views.current), conversion(n(o.p_orders), views.previous)),
    };
  }

  /** A zero-filled series: every bucket present, cut at Nairobi midnight (weeks start on Monday). */
  async revenue(sellerId: string, q: SeriesQuery): Promise<RevenueResponse> {
    const r = resolveRange(q);
    const unit = TRUNC[q.granularity];
    const rows = await this.read<{ date: string; revenue: string; orders: string }[]>(
      `with buckets as (
         select generate_series(date_trunc('${unit}', ?::date::timestamp), date_trunc('${unit}', ?::date::timestamp),
           interval '1 ${unit}') as bucket
       )
       select to_char(b.bucket, 'YYYY-MM-DD') as date, coalesce(sum(s.revenue_kes), 0) as revenue,
         coalesce(sum(s.paid_orders), 0) as orders
       from buckets b left join seller_daily_stats s
         on s.seller_id = ? and s.day between ?::date and ?::date and date_trunc('${unit}', s.day::timestamp) = b.bucket
       group by b.bucket order by b.bucket`,
      [r.from, r.to, sellerId, r.from, r.to],
    );
    return {
      range: info(r),
      granularity: q.granularity,
      series: rows.map((x) => ({ date: x.date, revenueKes: Number(x.revenue), orders: Number(x.orders) })),
    };
  }

  async topProducts(sellerId: string, q: TopProductsQuery): Promise<TopProductsResponse> {
    const r = resolveRange(q);
    const order = q.sort === 'units' ? 'units desc, revenue desc' : 'revenue desc, units desc';
    const rows = await this.read<{ product_id: string; name: string; units: string; revenue: string }[]>(
      `select product_id, (array_agg(name order by day desc))[1] as name, sum(units) as units,
       sum(revenue_kes) as revenue
       from analytics_product_sales where seller_id = ? and day between ?::date and ?::date
       group by product_id having sum(units) > 0
       order by ${order}, product_id limit ?`,
      [sellerId, r.from, r.to, q.limit],
    );
    const stock = await this.products.currentStock(
      sellerId,
      rows.map((x) => x.product_id),
    );
    return {
      range: info(r),
      products: rows.map((x) => ({
        productId: x.product_id,
        name: x.name,
        unitsSold: Number(x.units),
        revenueKes: Number(x.revenue),
        currentStock: stock.get(x.product_id) ?? null,
      })),
    };
  }

  /**
   * New vs returning customers per bucket, retention and repeat-purchase rate, over orders that were not cancelled.
   * An order is a customer's first when no earlier non-cancelled order of theirs exists (analytics_orders.first).
   */
  async customers(sellerId: string, q: SeriesQuery): Promise<CustomersAnalyticsResponse> {
    const r = resolveRange(q);
    const unit = TRUNC[q.granularity];
    // Distinct customers without a distinct, and without visiting each order: analytics_customer_gaps counts the
    // period's orders by (day, day of the customer's previous order, first, second). A customer's first order within
    // a bucket is the one whose previous order is before the bucket (or the period); "first ever" is `first`; a
    // customer whose only order of the period is their first is a first order not followed, within the period, by a
    // second order (prev_first). A month reads a few thousand rows whatever the number of orders.
    const [series, top] = await Promise.all([
      this.read<
        {
          date: string | null;
          new: string;
          all: string;
          orders: string;
          repeat_orders: string;
          single_first: string | null;
        }[]
      >(
        `with g as materialized (
           select day, prev_day, first, prev_first, orders from analytics_customer_gaps
           where seller_id = ? and day >= ?::date and day <= ?::date and orders <> 0
         ), buckets as (
           select generate_series(date_trunc('${unit}', ?::date::timestamp), date_trunc('${unit}',
             ?::date::timestamp), interval '1 ${unit}') as bucket
         )
         select to_char(k.bucket, 'YYYY-MM-DD') as date,
                coalesce(sum(g.orders) filter (where g.first), 0) as new,
                coalesce(sum(g.orders) filter (where g.prev_day < greatest(k.bucket::date, ?::date)), 0) as all,
                coalesce(sum(g.orders), 0) as orders,
                coalesce(sum(g.orders) filter (where not g.first), 0) as repeat_orders,
                null as single_first
         from buckets k left join g on date_trunc('${unit}', g.day::timestamp) = k.bucket
         group by k.bucket
         union all
         select null, coalesce(sum(orders) filter (where first), 0),
                coalesce(sum(orders) filter (where prev_day < ?::date), 0),
                coalesce(sum(orders), 0), coalesce(sum(orders) filter (where not first), 0),
                coalesce(sum(orders) filter (where first), 0)
                  - coalesce(sum(orders) filter (where prev_first and prev_day >= ?::date), 0)
         from g
         order by 1 nulls last`,
        [sellerId, r.from, r.to, r.from, r.to, r.from, r.from, r.from],
      ),
      this.topSpenders(sellerId, r),
    ]);
    const who = await this.customerDirectory.contacts(
      sellerId,
      top.map((x) => x.id),
    );
    const ratio = (a: string, b: string) => (Number(b) ? Math.round((Number(a) / Number(b)) * 10_000) / 10_000 : 0);
    // The grouping set () is the whole period's totals row (date null), sorted last.
    const totals = series.pop()!;
    return {
      range: info(r),
      series: series.map((x) => ({
        date: String(x.date),
        newCustomers: Number(x.new),
        returningCustomers: Number(x.all) - Number(x.new),
      })),
      // Repeat customers: those of the period with an order that is not their first ever, i.e. all but those whose
      // only order of the period is their first.
      retentionRate: ratio(String(Number(totals.all) - Number(totals.single_first)), totals.all),
      repeatPurchaseRate: ratio(totals.repeat_orders, totals.orders),
      topCustomers: top.map((x) => ({
        customerId: x.id,
        name: who.get(x.id)?.name ?? '',
        phone: who.get(x.id)?.phone ?? '',
        spentKes: x.spent,
        orders: x.orders,
      })),
    };
  }

  /** The 10 customers who spent most in the period (paid orders), exact: from a kept window when one is the period. */
  private async topSpenders(sellerId: string, r: DayRange): Promise<TopSpender[]> {
    return (await this.spendWindows.top(sellerId, r)) ?? this.sumSpenders(sellerId, r);
  }

  /**
   * The 10 customers who spent most in any range, summed from the facts. A customer with one order in the period
   * (no previous or next order of theirs inside it: the facts' links) is ranked straight from that row, read in spend
   * order from the spend index (the first few in the period end the scan); only customers with two or more are
   * grouped. Both run side by side: on a big shop most buyers of a month order once, and grouping them was most of the
   * cost.
   */
  private async sumSpenders(sellerId: string, r: DayRange): Promise<TopSpender[]> {
    const multi = `(coalesce(prev_at >= ${START}, false) or coalesce(next_at < ${END}, false))`;
    // `not cancelled` is implied by `paid`; written out so the planner can use the partial spend index.
    const period = `seller_id = ? and placed_at >= ${START} and placed_at < ${END} and paid and not cancelled`;
    const params = [r.from, r.to, sellerId, r.from, r.to];
    const [singles, repeat] = await Promise.all([
      this.read<{ id: string; spent: string; orders: string }[]>(
        `select customer_id as id, total_kes as spent, 1 as orders from analytics_orders
         where not ${multi} and ${period} order by total_kes desc, customer_id limit 10`,
        params,
      ),
      this.read<{ id: string; spent: string; orders: string }[]>(
        `select customer_id as id, sum(total_kes) as spent, count(*) as orders from analytics_orders
         where ${multi} and ${period} group by customer_id order by spent desc, customer_id limit 10`,
        params,
      ),
    ]);
    return [...singles, ...repeat]
      .map((x) => ({ id: x.id, spent: Number(x.spent), orders: Number(x.orders) }))
      .sort((x, y) => y.spent - x.spent || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
      .slice(0, 10);
  }
}
