import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import type { Order } from '../../api-types';
import { t } from '../../i18n';
import { described, Field, Problem } from '../../ui';
import { useAction } from '../../use-action';

/**
 * A payment the seller saw on the till (the buyer paid without the PIN prompt, or read out the M-Pesa code): the
 * receipt and the amount, recorded against this unpaid order; the API applies the amount rules (whole, part, more) and
 * refuses a receipt the shop already recorded. `onRecorded` gets the order read back (this form leaves once it is paid).
 */
export function RecordPayment({ order, onRecorded }: { order: Order; onRecorded: (order: Order) => void }) {
  const [receipt, setReceipt] = useState('');
  const [amount, setAmount] = useState(String(order.amountDueKes));
  // After a part payment the form offers what is still due.
  useEffect(() => setAmount(String(order.amountDueKes)), [order.amountDueKes]);
  const { busy, problem, fields, run } = useAction();
  const path = `/api/orders/${encodeURIComponent(order.id)}`;
  const submit = (e: Event) => {
    e.preventDefault();
    void run(
      async () => {
        await api('POST', `${path}/payments`, { mpesaReceipt: receipt.trim(), amountKes: Number(amount.trim()) });
        return api<Order>('GET', path);
      },
      (next) => {
        setReceipt('');
        onRecorded(next);
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate class="record-payment">
      <h3>{t('pay.title')}</h3>
      <p class="muted">{t('pay.lead')}</p>
      <Problem message={problem} />
      <Field id="pay-receipt" label={t('pay.receipt')} hint={t('pay.receiptHint')} error={fields.mpesaReceipt}>
        <input
          {...described('pay-receipt', t('pay.receiptHint'), fields.mpesaReceipt)}
          autocapitalize="characters"
          autocomplete="off"
          spellcheck={false}
          value={receipt}
          onInput={(e) => setReceipt(e.currentTarget.value.toUpperCase())}
        />
      </Field>
      <Field id="pay-amount" label={t('pay.amount')} error={fields.amountKes}>
        <input
          {...described('pay-amount', undefined, fields.amountKes)}
          inputMode="numeric"
          value={amount}
          onInput={(e) => setAmount(e.currentTarget.value)}
        />
      </Field>
      <button type="submit" disabled={busy || !receipt.trim() || !amount.trim()}>
        {busy ? t('common.saving') : t('pay.submit')}
      </button>
    </form>
  );
}
