import { useEffect, useState } from 'preact/hooks';
import { api, type Page, type Session } from '../../api';
import type { Customer, CustomerDetail, Order } from '../../api-types';
import { dateOf, kes, when } from '../../format';
import { t } from '../../i18n';
import { href } from '../../router';
import { Badge, described, Done, Field, Loading, Pager, Problem } from '../../ui';
import { useAction } from '../../use-action';
import { useApi } from '../../use-api';
import { STATUS_TONE } from '../orders/order-moves';

/** A customer: totals, every order (paged), and the seller's notes and tags (editable by a MANAGER or the owner). */
export function CustomerProfile({ session, customerId }: { session: Session; customerId: string }) {
  const path = `/api/customers/${encodeURIComponent(customerId)}`;
  const { data: customer, problem, setData } = useApi<CustomerDetail>(path);
  const [page, setPage] = useState(1);
  const orders = useApi<Page<Order>>(`${path}/orders?page=${page}&limit=10`);
  const canWrite = session.user.role !== 'VIEWER';

  if (problem)
    return (
      <>
        <h1 tabIndex={-1}>{t('customer.title')}</h1>
        <Problem message={problem} />
      </>
    );
  if (!customer) return <Loading what={t('customer.loading')} />;
  const s = customer.stats;
  return (
    <>
      <p class="crumbs">
        <a href={href('/customers')}>{t('nav.customers')}</a> › {customer.name}
      </p>
      <h1 tabIndex={-1}>{customer.name}</h1>
      <p>
        <a href={`tel:${customer.phone}`}>{customer.phone}</a> ·{' '}
        <a href={`https://wa.me/${customer.phone.replace(/\D/g, '')}`} target="_blank" rel="noopener noreferrer">
          WhatsApp
        </a>
        {customer.email && <> · {customer.email}</>}
      </p>
      {canWrite && (
        <a class="new-order-link" href={href(`/orders/new/${encodeURIComponent(customer.id)}`)}>
          {t('customer.newOrder')}
        </a>
      )}
      <dl class="stat-cards">
        <div>
          <dt>{t('customer.spent')}</dt>
          <dd>{kes(s.totalSpentKes)}</dd>
        </div>
        <div>
          <dt>{t('customer.orderCount')}</dt>
          <dd>{s.orderCount}</dd>
        </div>
        <div>
          <dt>{t('customer.average')}</dt>
          <dd>{kes(s.averageOrderValueKes)}</dd>
        </div>
        <div>
          <dt>{t('customer.since')}</dt>
          <dd>{dateOf(s.firstOrderAt)}</dd>
        </div>
      </dl>
      <section aria-labelledby="customer-orders-title" class="card">
        <h2 id="customer-orders-title">{t('customer.orders')}</h2>
        <Problem message={orders.problem} />
        {orders.data?.data.length === 0 && <p class="muted">{t('customer.noOrders')}</p>}
        <ul class="rows">
          {orders.data?.data.map((o) => (
            <li key={o.id} class="row">
              <a href={href(`/orders/${o.id}`)} class="row-link">
                <span class="row-main">
                  <strong class="ref">{o.referenceCode}</strong>
                  <span>{when(o.createdAt)}</span>
                </span>
                <span class="row-side">
                  <strong>{kes(o.totalKes)}</strong>
                  <Badge tone={STATUS_TONE[o.status]}>{t(`status.${o.status}`)}</Badge>
                </span>
              </a>
            </li>
          ))}
        </ul>
        {orders.data && (
          <Pager page={orders.data.page} limit={orders.data.limit} total={orders.data.total} onPage={setPage} />
        )}
      </section>
      <CustomerEdit customer={customer} canWrite={canWrite} onSaved={(c) => setData({ ...customer, ...c })} />
    </>
  );
}

function CustomerEdit(props: { customer: Customer; canWrite: boolean; onSaved: (c: Customer) => void }) {
  const { customer, canWrite } = props;
  const initial = () => ({
    name: customer.name,
    email: customer.email ?? '',
    notes: customer.notes ?? '',
    tags: customer.tags.join(', '),
  });
  const [form, setForm] = useState(initial);
  const { busy, problem, fields, done, run } = useAction();
  useEffect(() => setForm(initial()), [customer.updatedAt]);

  const save = (e: Event) => {
    e.preventDefault();
    const body = {
      name: form.name.trim(),
      email: form.email.trim() || null,
      notes: form.notes.trim() || null,
      tags: form.tags
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean),
    };
    void run(
      () => api<Customer>('PATCH', `/api/customers/${encodeURIComponent(customer.id)}`, body),
      (saved) => (props.onSaved(saved), t('customer.saved')),
    );
  };
  const text = (name: 'name' | 'email' | 'tags', hint?: string) => (
    <Field id={`c-${name}`} label={t(`customer.field.${name}`)} hint={hint} error={fields[name]}>
      <input
        {...described(`c-${name}`, hint, fields[name])}
        type="text"
        inputMode={name === 'email' ? 'email' : undefined}
        value={form[name]}
        disabled={!canWrite}
        onInput={(e) => setForm({ ...form, [name]: e.currentTarget.value })}
      />
    </Field>
  );
  return (
    <section aria-labelledby="customer-edit-title" class="card">
      <h2 id="customer-edit-title">{t('customer.details')}</h2>
      <form onSubmit={save} noValidate>
        <Problem message={problem} />
        <Done message={done} />
        {text('name')}
        {text('email')}
        {text('tags', t('customer.tagsHint'))}
        <Field id="c-notes" label={t('customer.field.notes')} error={fields.notes}>
          <textarea
            {...described('c-notes', undefined, fields.notes)}
            rows={3}
            value={form.notes}
            disabled={!canWrite}
            onInput={(e) => setForm({ ...form, notes: e.currentTarget.value })}
          />
        </Field>
        {canWrite && (
          <button type="submit" disabled={busy}>
            {busy ? t('common.saving') : t('common.save')}
          </button>
        )}
      </form>
    </section>
  );
}
