import { useEffect, useState } from 'preact/hooks';
import { api, type Page, type Session } from '../../api';
import { ORDER_STATUSES, type Order, type OrderStatus } from '../../api-types';
import { kes, shortWhen } from '../../format';
import { t } from '../../i18n';
import { lazyScreen } from '../../lazy';
import { href } from '../../router';
import { Badge, Chips, Field, PagedRows, SearchBox } from '../../ui';
import { useApi } from '../../use-api';
import { STATUS_TONE } from './order-moves';

const OrderDetail = lazyScreen(() => import('./order-detail').then((m) => m.OrderDetail));
const PaymentsReview = lazyScreen(() => import('./payments-review').then((m) => m.PaymentsReview));
const NewOrder = lazyScreen(() => import('./new-order').then((m) => m.NewOrder));

/**
 * How often the inbox asks for new orders while it is on screen. Polling, not server-sent events: one indexed read of
 * 20 rows every few seconds costs the API little, survives the flaky mobile networks and proxies sellers sit behind
 * (a held-open stream does not), and stops by itself when the phone sleeps the tab.
 */
export const INBOX_POLL_MS = 5_000;

export function OrdersSection({ session, route }: { session: Session; route: string[] }) {
  if (route[0] === 'payments') return <PaymentsReview session={session} />;
  // "new" is never an order id (those start ord_); a VIEWER takes no orders and sees the inbox there.
  if (route[0] === 'new')
    return session.user.role === 'VIEWER' ? <OrdersInbox canOrder={false} /> : <NewOrder customerId={route[1]} />;
  // Keyed by id: another order is a fresh screen, with none of the last one's messages or half-typed fields.
  if (route[0]) return <OrderDetail key={route[0]} session={session} orderId={route[0]} />;
  return <OrdersInbox canOrder={session.user.role !== 'VIEWER'} />;
}

function OrdersInbox({ canOrder }: { canOrder: boolean }) {
  const [status, setStatus] = useState<OrderStatus | ''>('');
  const [q, setQ] = useState('');
  // Whole days on Nairobi's clock (the API reads plain dates so): "June's orders" for the books.
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(1);
  const [tick, setTick] = useState(0);
  const filters = new URLSearchParams();
  if (status) filters.set('status', status);
  if (q.trim()) filters.set('q', q.trim());
  if (from) filters.set('from', from);
  if (to) filters.set('to', to);
  const query = new URLSearchParams({ page: String(page), limit: '20', ...Object.fromEntries(filters) });
  const { data, problem } = useApi<Page<Order>>(`/api/orders?${query}`, { refresh: tick });
  // Orders placed after the inbox opened are marked "new" (under any filter) and announced: newer than the newest
  // order the shop had then, by the API's clock, not the phone's.
  const [since, setSince] = useState<string | null>(null);
  useEffect(() => {
    api<Page<Order>>('GET', '/api/orders?limit=1').then(
      (p) => setSince(p.data[0]?.createdAt ?? ''),
      () => undefined,
    );
  }, []);
  const fresh = since === null ? [] : (data?.data ?? []).filter((o) => o.createdAt > since).map((o) => o.id);

  useEffect(() => {
    const timer = setInterval(() => document.visibilityState === 'visible' && setTick((n) => n + 1), INBOX_POLL_MS);
    return () => clearInterval(timer);
  }, []);

  // Payments to review change rarely: counted every sixth round (30 s), not with every look for new orders.
  const slow = Math.floor(tick / 6);
  const counts = useApi<Page<unknown>>('/api/payments?status=FLAGGED&resolved=false&limit=1', { refresh: slow });
  const unmatched = useApi<Page<unknown>>('/api/payments?matched=false&limit=1', { refresh: slow });
  const toReview = (counts.data?.total ?? 0) + (unmatched.data?.total ?? 0);

  return (
    <>
      <h1 tabIndex={-1}>{t('orders.title')}</h1>
      <p class="visually-hidden" role="status" aria-live="polite">
        {fresh.length ? t('orders.arrived', { n: fresh.length }) : ''}
      </p>
      {canOrder && (
        <a class="new-order-link" href={href('/orders/new')}>
          {t('orders.newOrder')}
        </a>
      )}
      <a class={`review-link${toReview ? ' has-some' : ''}`} href={href('/payments')}>
        {toReview ? t('orders.reviewSome', { n: toReview }) : t('orders.reviewNone')}
      </a>
      <SearchBox
        id="order-q"
        label={t('orders.search')}
        hint={t('orders.searchHint')}
        value={q}
        onInput={(v) => (setQ(v), setPage(1))}
      >
        <div class="dates">
          <Field id="order-from" label={t('orders.from')}>
            <input
              id="order-from"
              type="date"
              value={from}
              max={to || undefined}
              onInput={(e) => (setFrom(e.currentTarget.value), setPage(1))}
            />
          </Field>
          <Field id="order-to" label={t('orders.to')}>
            <input
              id="order-to"
              type="date"
              value={to}
              min={from || undefined}
              onInput={(e) => (setTo(e.currentTarget.value), setPage(1))}
            />
          </Field>
        </div>
      </SearchBox>
      <Chips
        label={t('orders.byStatus')}
        value={status}
        options={['', ...ORDER_STATUSES] as const}
        word={(s) => (s ? t(`status.${s}`) : t('orders.all'))}
        onChange={(s) => (setStatus(s), setPage(1))}
      />
      <PagedRows
        page={data}
        problem={problem}
        what={t('orders.loading')}
        empty={status || q || from || to ? t('orders.noneMatch') : t('orders.none')}
        label={t('orders.title')}
        rowClass={(o) => (fresh.includes(o.id) ? 'row fresh' : 'row')}
        onPage={setPage}
        row={(o) => (
          <a href={href(`/orders/${o.id}`)} class="row-link">
            <span class="row-main">
              <strong class="ref">{o.referenceCode}</strong>
              {fresh.includes(o.id) && <Badge tone="warn">{t('orders.new')}</Badge>}
              <span>{o.customerName}</span>
            </span>
            <span class="row-side">
              <strong>{kes(o.totalKes)}</strong>
              <Badge tone={STATUS_TONE[o.status]}>{t(`status.${o.status}`)}</Badge>
            </span>
            <span class="row-meta">
              {shortWhen(o.createdAt)} · {t('orders.units', { n: o.itemCount })} · {t(`payment.${o.paymentMethod}`)}
            </span>
          </a>
        )}
      />
      {/* The same filters, every page: a plain link, so the browser downloads it with the session cookie. */}
      <a class="download-link" href={`/api/orders/export?${filters}`} download>
        {t('orders.download')}
      </a>
    </>
  );
}
