import { useState } from 'preact/hooks';
import type { Page, Session } from '../../api';
import type { Customer } from '../../api-types';
import { kes, shortWhen } from '../../format';
import { t } from '../../i18n';
import { lazyScreen } from '../../lazy';
import { href } from '../../router';
import { PagedRows, SearchBox } from '../../ui';
import { useApi } from '../../use-api';

const CustomerProfile = lazyScreen(() => import('./customer-profile').then((m) => m.CustomerProfile));

export function CustomersSection({ session, route }: { session: Session; route: string[] }) {
  if (route[0]) return <CustomerProfile key={route[0]} session={session} customerId={route[0]} />;
  return <CustomerList />;
}

const SORTS = ['newest', 'lastOrderAt', 'totalSpent'] as const;

function CustomerList() {
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<(typeof SORTS)[number]>('newest');
  const [page, setPage] = useState(1);
  const query = new URLSearchParams({ page: String(page), limit: '20', sort });
  if (q.trim()) query.set('q', q.trim());
  const { data, problem } = useApi<Page<Customer>>(`/api/customers?${query}`);
  return (
    <>
      <h1 tabIndex={-1}>{t('customers.title')}</h1>
      <SearchBox
        id="customer-q"
        label={t('customers.search')}
        hint={t('customers.searchHint')}
        value={q}
        onInput={(v) => (setQ(v), setPage(1))}
      >
        <div class="field">
          <label for="customer-sort">{t('customers.sort')}</label>
          <select
            id="customer-sort"
            value={sort}
            onChange={(e) => (setSort(e.currentTarget.value as (typeof SORTS)[number]), setPage(1))}
          >
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`customers.sort.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </SearchBox>
      <PagedRows
        page={data}
        problem={problem}
        what={t('customers.loading')}
        empty={q ? t('customers.noneMatch') : t('customers.none')}
        label={t('customers.title')}
        onPage={setPage}
        row={(c) => (
          <a href={href(`/customers/${c.id}`)} class="row-link">
            <span class="row-main">
              <strong>{c.name}</strong>
              <span>{c.phone}</span>
            </span>
            <span class="row-side">
              <strong>{kes(c.stats.totalSpentKes)}</strong>
              <span class="muted">{t('customers.orders', { n: c.stats.orderCount })}</span>
            </span>
            {c.stats.lastOrderAt && (
              <span class="row-meta">{t('customers.lastOrder', { when: shortWhen(c.stats.lastOrderAt) })}</span>
            )}
          </a>
        )}
      />
      <a
        class="download-link"
        href={`/api/customers/export${q.trim() ? `?${new URLSearchParams({ q: q.trim() })}` : ''}`}
        download
      >
        {t('customers.download')}
      </a>
    </>
  );
}
