import { useEffect, useState } from 'preact/hooks';
import { api, type Page } from '../../api';
import type { Customer, Order, Product } from '../../api-types';
import { kes } from '../../format';
import { t } from '../../i18n';
import { go, href } from '../../router';
import { described, Field, Problem } from '../../ui';
import { useAction } from '../../use-action';
import { useApi } from '../../use-api';

interface Line {
  product: Product;
  variantId: string | null;
  quantity: number;
}

const priceOf = (l: Line) => l.product.variants.find((v) => v.id === l.variantId)?.priceKes ?? l.product.priceKes;
const nameOf = (l: Line) => {
  const variant = l.product.variants.find((v) => v.id === l.variantId);
  return variant ? `${l.product.name} (${variant.name})` : l.product.name;
};

/**
 * An order the shop takes itself — on the phone, on WhatsApp, at the stall — for a MANAGER or the owner. The API
 * prices it from the catalogue and takes the stock; the total here is only what the seller reads out to the buyer.
 * Opened from a customer's profile (`customerId`), it starts with their name and number: a regular buyer on WhatsApp.
 */
export function NewOrder({ customerId }: { customerId?: string }) {
  const [q, setQ] = useState('');
  const products = useApi<Page<Product>>(
    `/api/products?${new URLSearchParams({ isActive: 'true', sort: 'name', limit: '50', q: q.trim() })}`,
  );
  const [pick, setPick] = useState('');
  const [lines, setLines] = useState<Line[]>([]);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [delivery, setDelivery] = useState<'DELIVERY' | 'PICKUP'>('DELIVERY');
  const [address, setAddress] = useState('');
  // The till: M-Pesa without the PIN prompt (the buyer already paid it, or will).
  const [payment, setPayment] = useState<'MPESA' | 'TILL' | 'CASH_ON_DELIVERY'>('MPESA');
  const [note, setNote] = useState('');
  // One key per filled-in form: a second tap, or a retry after a dropped connection, cannot place the order twice.
  // (getRandomValues, not randomUUID: that one exists only on HTTPS or localhost, and a shop's LAN may be neither.)
  const [idempotencyKey] = useState(
    () =>
      `dash-${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')}`,
  );
  const { busy, problem, fields, run } = useAction();
  const regular = useApi<Customer>(customerId ? `/api/customers/${encodeURIComponent(customerId)}` : null);
  useEffect(() => {
    const known = regular.data;
    if (!known) return;
    setName((n) => n || known.name);
    setPhone((p) => p || known.phone);
  }, [regular.data]);

  // What is left of each beside its price: the seller tells the buyer at once, and a sold-out one cannot be chosen.
  const choice = (key: string, name: string, priceKes: number, stock: number) => ({
    key,
    label: `${name} · ${kes(priceKes)} · ${stock > 0 ? t('newOrder.left', { n: stock }) : t('newOrder.soldOut')}`,
    soldOut: stock <= 0,
  });
  const choices = (products.data?.data ?? []).flatMap((p) =>
    p.variants.length
      ? p.variants.map((v) => choice(`${p.id}/${v.id}`, `${p.name} (${v.name})`, v.priceKes, v.stock))
      : [choice(p.id, p.name, p.priceKes, p.stock)],
  );
  const add = () => {
    const [productId, variantId = null] = pick.split('/');
    const product = products.data?.data.find((p) => p.id === productId);
    if (!product) return;
    const same = lines.findIndex((l) => l.product.id === productId && l.variantId === variantId);
    if (same >= 0) setLines(lines.map((l, i) => (i === same ? { ...l, quantity: l.quantity + 1 } : l)));
    else setLines([...lines, { product, variantId, quantity: 1 }]);
    setPick('');
  };
  const total = lines.reduce((sum, l) => sum + priceOf(l) * l.quantity, 0);

  const submit = (e: Event) => {
    e.preventDefault();
    void run(
      () =>
        api<Order>(
          'POST',
          '/api/orders/manual',
          {
            customerName: name.trim(),
            customerPhone: phone.trim(),
            deliveryMethod: delivery,
            ...(delivery === 'DELIVERY' ? { deliveryAddress: address.trim() } : {}),
            paymentMethod: payment === 'TILL' ? 'MPESA' : payment,
            ...(payment === 'TILL' ? { sendPrompt: false } : {}),
            note: note.trim() || undefined,
            items: lines.map((l) => ({
              productId: l.product.id,
              ...(l.variantId ? { variantId: l.variantId } : {}),
              quantity: l.quantity,
            })),
          },
          { 'Idempotency-Key': idempotencyKey },
        ),
      (order) => go(`/orders/${order.id}`),
    );
  };

  return (
    <form onSubmit={submit} noValidate class="new-order">
      <a href={href('/orders')}>{t('newOrder.back')}</a>
      <h1 tabIndex={-1}>{t('newOrder.title')}</h1>
      <p class="muted">{t('newOrder.lead')}</p>
      <Problem message={problem ?? regular.problem} />
      <fieldset>
        <legend>{t('newOrder.items')}</legend>
        <Field id="new-order-q" label={t('newOrder.find')}>
          <input id="new-order-q" type="search" value={q} onInput={(e) => (setQ(e.currentTarget.value), setPick(''))} />
        </Field>
        <Field id="new-order-product" label={t('newOrder.product')} error={fields.items}>
          <select
            {...described('new-order-product', undefined, fields.items)}
            value={pick}
            onChange={(e) => setPick(e.currentTarget.value)}
          >
            <option value="">{t('newOrder.choose')}</option>
            {choices.map((c) => (
              <option key={c.key} value={c.key} disabled={c.soldOut}>
                {c.label}
              </option>
            ))}
          </select>
        </Field>
        <button type="button" onClick={add} disabled={!pick}>
          {t('newOrder.add')}
        </button>
        <ul class="order-lines">
          {lines.map((l, i) => (
            <li key={`${l.product.id}/${l.variantId}`}>
              <label for={`new-order-qty-${i}`}>{nameOf(l)}</label>
              <input
                id={`new-order-qty-${i}`}
                type="number"
                inputMode="numeric"
                min={1}
                max={1000}
                value={l.quantity}
                onInput={(e) => {
                  const quantity = Math.max(1, Math.floor(Number(e.currentTarget.value) || 1));
                  setLines(lines.map((x, j) => (j === i ? { ...x, quantity } : x)));
                }}
              />
              <span>{kes(priceOf(l) * l.quantity)}</span>
              <button
                type="button"
                class="link"
                aria-label={t('newOrder.remove', { name: nameOf(l) })}
                onClick={() => setLines(lines.filter((_, j) => j !== i))}
              >
                {t('newOrder.removeShort')}
              </button>
            </li>
          ))}
        </ul>
        {lines.length > 0 && <p class="order-total">{t('newOrder.total', { total: kes(total) })}</p>}
      </fieldset>
      <Field id="new-order-name" label={t('newOrder.name')} error={fields.customerName}>
        <input
          {...described('new-order-name', undefined, fields.customerName)}
          autocomplete="off"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
      </Field>
      <Field
        id="new-order-phone"
        label={t('newOrder.phone')}
        hint={t('newOrder.phoneHint')}
        error={fields.customerPhone}
      >
        <input
          {...described('new-order-phone', t('newOrder.phoneHint'), fields.customerPhone)}
          type="tel"
          autocomplete="off"
          value={phone}
          onInput={(e) => setPhone(e.currentTarget.value)}
        />
      </Field>
      <fieldset>
        <legend>{t('newOrder.delivery')}</legend>
        {(['DELIVERY', 'PICKUP'] as const).map((m) => (
          <label key={m} class="check">
            <input type="radio" name="delivery" checked={delivery === m} onChange={() => setDelivery(m)} />
            <span>{t(`delivery.${m}`)}</span>
          </label>
        ))}
      </fieldset>
      {delivery === 'DELIVERY' && (
        <Field id="new-order-address" label={t('newOrder.address')} error={fields.deliveryAddress}>
          <input
            {...described('new-order-address', undefined, fields.deliveryAddress)}
            value={address}
            onInput={(e) => setAddress(e.currentTarget.value)}
          />
        </Field>
      )}
      <fieldset>
        <legend>{t('newOrder.payment')}</legend>
        {(['MPESA', 'TILL', 'CASH_ON_DELIVERY'] as const).map((m) => (
          <label key={m} class="check">
            <input type="radio" name="payment" checked={payment === m} onChange={() => setPayment(m)} />
            <span>{t(`newOrder.pay.${m}`)}</span>
          </label>
        ))}
      </fieldset>
      <Field id="new-order-note" label={t('newOrder.note')} hint={t('newOrder.noteHint')} error={fields.note}>
        <input
          {...described('new-order-note', t('newOrder.noteHint'), fields.note)}
          value={note}
          onInput={(e) => setNote(e.currentTarget.value)}
        />
      </Field>
      <button type="submit" disabled={busy || !lines.length || !name.trim() || !phone.trim()}>
        {busy ? t('common.saving') : t('newOrder.submit')}
      </button>
    </form>
  );
}
