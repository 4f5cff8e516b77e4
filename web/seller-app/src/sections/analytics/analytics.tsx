import { useState } from 'preact/hooks';
import type { Session } from '../../api';
import type { Change, CustomerAnalytics, Overview, Revenue, TopProducts } from '../../api-types';
import { count, day, kes } from '../../format';
import { type MessageKey, t } from '../../i18n';
import { href } from '../../router';
import { Loading, Problem } from '../../ui';
import { useApi } from '../../use-api';
import { BarChart } from './chart';

const PERIODS = ['7d', '30d', '90d'] as const;
const GRANULARITIES = ['daily', 'weekly', 'monthly'] as const;
const BRAND = '#0b6b4f';
const SECOND = '#c77d0a';

/** The shop's figures for 7, 30 or 90 days (Nairobi days), as cards and charts with tables. */
export function AnalyticsSection(_props: { session: Session; route: string[] }) {
  const [period, setPeriod] = useState<(typeof PERIODS)[number]>('30d');
  const [granularity, setGranularity] = useState<(typeof GRANULARITIES)[number]>('daily');
  const overview = useApi<Overview>(`/api/analytics/overview?period=${period}`);
  const revenue = useApi<Revenue>(`/api/analytics/revenue?period=${period}&granularity=${granularity}`);
  const top = useApi<TopProducts>(`/api/analytics/top-products?period=${period}`);
  const customers = useApi<CustomerAnalytics>(`/api/analytics/customers?period=${period}`);
  const problem = overview.problem ?? revenue.problem ?? top.problem ?? customers.problem;
  const percent = (n: number) => `${Math.round(n * 1000) / 10}%`;

  return (
    <>
      <h1 tabIndex={-1}>{t('analytics.title')}</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="period">{t('analytics.period')}</label>
          <select id="period" value={period} onChange={(e) => setPeriod(e.currentTarget.value as typeof period)}>
            {PERIODS.map((p) => (
              <option key={p} value={p}>
                {t(`analytics.period.${p}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="granularity">{t('analytics.by')}</label>
          <select
            id="granularity"
            value={granularity}
            onChange={(e) => setGranularity(e.currentTarget.value as typeof granularity)}
          >
            {GRANULARITIES.map((g) => (
              <option key={g} value={g}>
                {t(`analytics.by.${g}`)}
              </option>
            ))}
          </select>
        </div>
      </form>
      <Problem message={problem} />
      {overview.data ? (
        <dl class="stat-cards" aria-label={t('analytics.overview')}>
          <Card label="analytics.revenue" change={overview.data.revenueKes} show={kes} />
          <Card label="analytics.orders" change={overview.data.orderCount} show={count} />
          <Card label="analytics.paidOrders" change={overview.data.paidOrderCount} show={count} />
          <Card label="analytics.average" change={overview.data.averageOrderValueKes} show={kes} />
          <Card label="analytics.newCustomers" change={overview.data.newCustomers} show={count} />
          <Card label="analytics.conversion" change={overview.data.conversionRate} show={percent} />
        </dl>
      ) : (
        !problem && <Loading what={t('analytics.loading')} />
      )}
      {revenue.data && (
        <BarChart
          id="chart-revenue"
          title={t('analytics.revenueOver')}
          labelHeading={t('analytics.when')}
          labels={revenue.data.series.map((p) => day(p.date, granularity === 'monthly'))}
          series={[
            { label: t('analytics.revenue'), values: revenue.data.series.map((p) => p.revenueKes), color: BRAND },
          ]}
          format={kes}
        />
      )}
      {top.data &&
        (top.data.products.length ? (
          <BarChart
            id="chart-top"
            title={t('analytics.topProducts')}
            labelHeading={t('analytics.product')}
            labels={top.data.products.map((p) => p.name)}
            series={[{ label: t('analytics.units'), values: top.data.products.map((p) => p.unitsSold), color: BRAND }]}
            format={count}
            horizontal
          />
        ) : (
          <p class="muted">{t('analytics.noSales')}</p>
        ))}
      {customers.data && (
        <>
          <BarChart
            id="chart-customers"
            title={t('analytics.newReturning')}
            labelHeading={t('analytics.when')}
            labels={customers.data.series.map((p) => day(p.date, false))}
            series={[
              {
                label: t('analytics.new'),
                values: customers.data.series.map((p) => p.newCustomers),
                color: BRAND,
              },
              {
                label: t('analytics.returning'),
                values: customers.data.series.map((p) => p.returningCustomers),
                color: SECOND,
              },
            ]}
            format={count}
            stacked
          />
          <p>
            {t('analytics.retention', {
              retention: percent(customers.data.retentionRate),
              repeat: percent(customers.data.repeatPurchaseRate),
            })}
          </p>
          <h2>{t('analytics.topCustomers')}</h2>
          {customers.data.topCustomers.length === 0 && <p class="muted">{t('analytics.noTopCustomers')}</p>}
          <ol class="plain">
            {customers.data.topCustomers.map((c) => (
              <li key={c.customerId}>
                <a href={href(`/customers/${c.customerId}`)}>{c.name}</a> · {kes(c.spentKes)} ·{' '}
                {t('customers.orders', { n: c.orders })}
              </li>
            ))}
          </ol>
        </>
      )}
    </>
  );
}

function Card({ label, change, show }: { label: MessageKey; change: Change; show: (n: number) => string }) {
  const pct = change.changePercent;
  return (
    <div>
      <dt>{t(label)}</dt>
      <dd>
        <strong>{show(change.value)}</strong>
        <span class={pct === null || pct === 0 ? 'muted' : pct > 0 ? 'up' : 'down'}>
          {pct === null ? t('analytics.noPrevious') : t('analytics.change', { pct: `${pct > 0 ? '+' : ''}${pct}` })}
        </span>
      </dd>
    </div>
  );
}
