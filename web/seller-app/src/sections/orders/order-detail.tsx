import { useState } from 'preact/hooks';
import { api, type Session } from '../../api';
import type { Order } from '../../api-types';
import { kes, when } from '../../format';
import { t } from '../../i18n';
import { href } from '../../router';
import { Badge, Confirm, described, Done, Field, Loading, Problem } from '../../ui';
import { useAction } from '../../use-action';
import { useApi } from '../../use-api';
import { actorKind } from './actor';
import { type Move, movesFor, STATUS_TONE } from './order-moves';
import { PromptAgain } from './prompt-again';
import { RecordPayment } from './record-payment';
import { whatsappLink } from './whatsapp';

/** One order: items, customer, payment, timeline, and the moves its state allows (none for a VIEWER). */
export function OrderDetail({ session, orderId }: { session: Session; orderId: string }) {
  const { data: order, problem, setData, reload } = useApi<Order>(`/api/orders/${encodeURIComponent(orderId)}`);
  // A refusal is the API's own words: why this move is refused now (another person moved it first, a payment came in…).
  const { busy, problem: refusal, done, run: act } = useAction();
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const [recorded, setRecorded] = useState(false);
  const canMove = session.user.role !== 'VIEWER';

  const run = (move: Move, body?: object) =>
    act(
      () => api<Order>('POST', `/api/orders/${encodeURIComponent(orderId)}/${move}`, body ?? {}),
      (next) => {
        setData(next);
        setCancelling(false);
        return t('order.moved', { status: t(`status.${next.status}`) });
      },
    );

  if (problem)
    return (
      <>
        <p class="crumbs">
          <a href={href('/orders')}>{t('nav.orders')}</a>
        </p>
        <h1 tabIndex={-1}>{t('order.title')}</h1>
        <Problem message={problem} />
      </>
    );
  if (!order) return <Loading what={t('order.loading')} />;
  const moves = canMove ? movesFor(order) : [];
  // Cash on delivery on its way: what is due is money the rider collects.
  const atDoor = order.paymentMethod === 'CASH_ON_DELIVERY' && ['CONFIRMED', 'DISPATCHED'].includes(order.status);
  return (
    <>
      <p class="crumbs">
        <a href={href('/orders')}>{t('nav.orders')}</a> › {order.referenceCode}
      </p>
      <div class="card-head">
        <h1 tabIndex={-1}>{t('order.heading', { ref: order.referenceCode })}</h1>
        <Badge tone={STATUS_TONE[order.status]}>{t(`status.${order.status}`)}</Badge>
      </div>
      <Done message={done ?? (recorded ? t('pay.recorded') : null)} />
      <Problem message={refusal} />
      {moves.length > 0 && (
        <div class="actions moves">
          {moves
            .filter((m) => m !== 'cancel')
            .map((m) => (
              <button key={m} type="button" disabled={busy} onClick={() => void run(m)}>
                {t(`move.${m}`)}
              </button>
            ))}
          {moves.includes('cancel') && (
            <button type="button" class="danger" disabled={busy} onClick={() => setCancelling(true)}>
              {t('move.cancel')}
            </button>
          )}
        </div>
      )}
      <section aria-labelledby="items-title" class="card">
        <h2 id="items-title">{t('order.items')}</h2>
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('order.item')}</th>
              <th scope="col" class="num">
                {t('order.qty')}
              </th>
              <th scope="col" class="num">
                {t('order.subtotal')}
              </th>
            </tr>
          </thead>
          <tbody>
            {order.items.map((i) => (
              <tr key={`${i.productId}:${i.variantId ?? ''}`}>
                <td>
                  {i.productName}
                  {i.variantName && <span class="muted"> · {i.variantName}</span>}
                  <br />
                  <span class="muted">{kes(i.unitPriceKes)}</span>
                </td>
                <td class="num">{i.quantity}</td>
                <td class="num">{kes(i.subtotalKes)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                {t('order.total')}
              </th>
              <td class="num">
                <strong>{kes(order.totalKes)}</strong>
              </td>
            </tr>
          </tfoot>
        </table>
      </section>
      <section aria-labelledby="customer-title" class="card">
        <h2 id="customer-title">{t('order.customer')}</h2>
        <dl class="facts pairs">
          <dt>{t('order.name')}</dt>
          <dd>
            <a href={href(`/customers/${order.customerId}`)}>{order.customerName}</a>
          </dd>
          <dt>{t('order.phone')}</dt>
          <dd>
            <a href={`tel:${order.customerPhone}`}>{order.customerPhone}</a> ·{' '}
            <a href={whatsappLink(order, session.seller.storeName)} target="_blank" rel="noopener noreferrer">
              {t('order.whatsapp')}
            </a>
          </dd>
          <dt>{t('order.delivery')}</dt>
          <dd>
            {t(`delivery.${order.deliveryMethod}`)}
            {order.deliveryAddress && ` · ${order.deliveryAddress}`}
          </dd>
        </dl>
      </section>
      <section aria-labelledby="payment-title" class="card">
        <h2 id="payment-title">{t('order.payment')}</h2>
        <dl class="facts pairs">
          <dt>{t('order.method')}</dt>
          <dd>{t(`payment.${order.paymentMethod}`)}</dd>
          <dt>{t('order.paid')}</dt>
          <dd>{kes(order.amountPaidKes)}</dd>
          {order.status === 'CANCELLED' && order.amountPaidKes > 0 ? (
            <>
              {/* Every payment counted toward it was flagged for a refund when it was cancelled. */}
              <dt>{t('order.refund')}</dt>
              <dd>
                {kes(order.amountPaidKes)}
                <br />
                <a href={href('/payments')}>{t('order.refundLink')}</a>
              </dd>
            </>
          ) : (
            <>
              <dt>{t(atDoor ? 'order.dueAtDoor' : 'order.due')}</dt>
              <dd>{kes(order.amountDueKes)}</dd>
            </>
          )}
          {order.mpesaReceipt && (
            <>
              <dt>{t('order.receipt')}</dt>
              <dd>
                <code>{order.mpesaReceipt}</code>
              </dd>
            </>
          )}
          {order.paidAt && (
            <>
              <dt>{t('order.paidAt')}</dt>
              <dd>{when(order.paidAt)}</dd>
            </>
          )}
        </dl>
        {order.paymentMethod === 'MPESA' && order.status === 'PENDING' && (
          <PromptAgain order={order} canSend={canMove} onPaid={reload} />
        )}
        {/* PENDING, or cash on delivery on its way (paid at the door): the API's amount due says which. */}
        {canMove && order.amountDueKes > 0 && (
          <RecordPayment order={order} onRecorded={(next) => (setData(next), setRecorded(true))} />
        )}
      </section>
      <section aria-labelledby="timeline-title" class="card">
        <h2 id="timeline-title">{t('order.timeline')}</h2>
        <ol class="timeline">
          {order.timeline.map((e, i) => (
            <li key={i}>
              <strong>{stepLabel(order.timeline, i)}</strong> · {when(e.at)}
              <span class="muted"> · {t(`actor.${actorKind(e.actor, session.user.id)}`)}</span>
              {e.note && <span class="muted"> · {e.note}</span>}
            </li>
          ))}
        </ol>
        {order.cancelReason && <p>{t('order.cancelReason', { reason: order.cancelReason })}</p>}
      </section>
      <Confirm
        open={cancelling}
        title={t('order.cancelTitle', { ref: order.referenceCode })}
        confirmLabel={t('move.cancel')}
        danger
        busy={busy}
        onConfirm={() => void run('cancel', reason.trim() ? { reason: reason.trim() } : {})}
        onCancel={() => setCancelling(false)}
      >
        <Field id="cancel-reason" label={t('order.reason')} hint={t('order.reasonHint')}>
          <input
            {...described('cancel-reason', t('order.reasonHint'))}
            value={reason}
            maxLength={500}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
        </Field>
      </Confirm>
    </>
  );
}

/**
 * The first entry is the placing itself (PENDING, by the customer); an entry that keeps the state of the one before
 * it is money coming in (a part payment, a payment at the door); any other names the state it moved to.
 */
function stepLabel(timeline: Order['timeline'], i: number): string {
  const e = timeline[i];
  if (i === 0 && e.status === 'PENDING') return t('order.placed');
  if (i > 0 && timeline[i - 1].status === e.status) return t('order.paymentStep');
  return t(`status.${e.status}`);
}
