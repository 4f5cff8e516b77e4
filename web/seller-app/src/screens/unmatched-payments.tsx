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
      <h2 id="unmatched-title">Payments waiting to be matched</h2>
      <p class="lead">
        Till and paybill payments that named no order, or more than one. Check the till, then apply each to its order.
      </p>
      <Problem message={problem} />
      <Done message={done} />
      {!data && !problem && <Loading what="payments waiting to be matched" />}
      {data?.data.length === 0 && (
        <Empty>
          <p>Every till and paybill payment has found its order.</p>
        </Empty>
      )}
      <ul class="cards">
        {data?.data.map((p) => (
          <li class="card" key={p.id}>
            <div class="card-head">
              <strong>{kes(p.amountKes)}</strong>
              <span class={`badge${p.status === 'PENDING' ? ' muted' : ''}`}>
                {p.status === 'PENDING' ? 'Not confirmed by Safaricom yet' : 'Received'}
              </span>
            </div>
            <p>
              {p.channel === 'TILL' ? 'Till' : `Paybill, account “${p.accountNumber ?? ''}”`} · M-Pesa{' '}
              <code>{p.mpesaReceipt}</code> · {p.payerName ?? 'unknown payer'} {p.phone ? `(${p.phone})` : ''}
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
                  Assign to an order
                </button>
              ))}
          </li>
        ))}
      </ul>
    </section>
  );
}

function AssignForm(props: { payment: Payment; onCancel: () => void; onDone: (message: string) => void }) {
  const { data: orders, problem: loadProblem } = useApi<Page<OrderSummary>>('/api/orders?status=PENDING&limit=100');
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
    if (!orderId) return setProblem('Choose the order this payment is for.');
    setBusy(true);
    setProblem(null);
    try {
      const p = await api<Payment>('POST', `/api/payments/${props.payment.id}/assign`, { orderId });
      const order = choices.find((o) => o.id === orderId);
      props.onDone(
        `${kes(amount)} applied to ${order?.referenceCode ?? 'the order'}` +
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
      <Field id={id} label="Order">
        <select id={id} value={orderId} onChange={(e) => setOrderId(e.currentTarget.value)}>
          <option value="">{orders ? 'Choose an open order' : 'Loading open orders…'}</option>
          {choices.map((o) => (
            <option value={o.id} key={o.id}>
              {o.referenceCode} · {kes(o.amountDueKes)} due · {o.customerName} · {o.customerPhone}
            </option>
          ))}
        </select>
      </Field>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Assigning…' : 'Assign'}
        </button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
