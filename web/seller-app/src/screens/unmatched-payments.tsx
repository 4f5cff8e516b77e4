import { t } from '../i18n';
import { useState } from 'preact/hooks';
import { api, errorText, type OrderSummary, type Page, type Payment, type Session } from '../api';
import { kes, when } from '../format';
import { Done, Empty, Field, Loading, Problem } from '../ui';
import { useApi } from '../use-api';

/**
 * Till and paybill payments that found no order, waiting for the seller: any member sees them, a MANAGER or the owner
 * applies one to an open order (same amount first).
 */
export function UnmatchedPayments({ session }: { session: Session }) {
  const canAssign = session.user.role !== 'VIEWER';
  const { data, problem, reload } = useApi<Page<Payment>>('/api/payments?matched=false&limit=50');
  const [assigning, setAssigning] = useState<Payment | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <section aria-labelledby="unmatched-title">
      <h2 id="unmatched-title">{t('unmatched.title')}</h2>
      <p class="lead">{t('unmatched.lead')}</p>
      <Problem message={problem} />
      <Done message={done} />
      {!data && !problem && <Loading what={t('unmatched.loading')} />}
      {data?.data.length === 0 && (
        <Empty>
          <p>{t('unmatched.none')}</p>
        </Empty>
      )}
      <ul class="cards">
        {data?.data.map((p) => (
          <li class="card" key={p.id}>
            <div class="card-head">
              <strong>{kes(p.amountKes)}</strong>
              <span class={`badge${p.status === 'PENDING' ? ' muted' : ''}`}>
                {p.status === 'PENDING' ? t('unmatched.notConfirmed') : t('unmatched.received')}
              </span>
            </div>
            <p>
              {p.channel === 'TILL' ? t('unmatched.till') : t('unmatched.paybill', { account: p.accountNumber ?? '' })}{' '}
              · M-Pesa <code>{p.mpesaReceipt}</code> · {p.payerName ?? t('unmatched.unknownPayer')}{' '}
              {p.phone ? `(${p.phone})` : ''}
            </p>
            <p class="muted">
              {when(p.createdAt)}
              {p.resultDesc ? ` · ${p.resultDesc}` : ''}
            </p>
            {canAssign &&
              (assigning?.id === p.id ? (
                <AssignForm
                  payment={p}
                  onCancel={() => setAssigning(null)}
                  onDone={(message) => {
                    setAssigning(null);
                    setDone(message);
                    reload();
                  }}
                />
              ) : (
                <button type="button" class="secondary" onClick={() => (setDone(null), setAssigning(p))}>
                  {t('unmatched.assign')}
                </button>
              ))}
          </li>
        ))}
      </ul>
    </section>
  );
}

function AssignForm(props: { payment: Payment; onCancel: () => void; onDone: (message: string) => void }) {
  const { data: orders, problem: loadProblem } = useApi<Page<OrderSummary>>(
    '/api/orders?awaitingPayment=true&limit=100',
  );
  const [orderId, setOrderId] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const amount = props.payment.amountKes ?? 0;
  // Orders whose amount due is this payment's first: the likeliest match.
  const choices = [...(orders?.data ?? [])].sort(
    (a, b) => Number(b.amountDueKes === amount) - Number(a.amountDueKes === amount),
  );
  const id = `assign-${props.payment.id}`;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!orderId) return setProblem(t('unmatched.choose'));
    setBusy(true);
    setProblem(null);
    try {
      const p = await api<Payment>('POST', `/api/payments/${props.payment.id}/assign`, { orderId });
      const order = choices.find((o) => o.id === orderId);
      props.onDone(
        t('unmatched.applied', { amount: kes(amount), order: order?.referenceCode ?? t('unmatched.theOrder') }) +
          (p.status === 'FLAGGED' && p.flagReason ? `: ${p.flagReason}` : ''),
      );
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Problem message={problem ?? loadProblem} />
      <Field id={id} label={t('unmatched.order')}>
        <select id={id} value={orderId} onChange={(e) => setOrderId(e.currentTarget.value)}>
          <option value="">{orders ? t('unmatched.chooseOpen') : t('unmatched.loadingOpen')}</option>
          {choices.map((o) => (
            <option value={o.id} key={o.id}>
              {o.referenceCode} · {t('unmatched.due', { amount: kes(o.amountDueKes) })} · {o.customerName} ·{' '}
              {o.customerPhone}
            </option>
          ))}
        </select>
      </Field>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('unmatched.assigning') : t('unmatched.assignButton')}
        </button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
