import { useState } from 'preact/hooks';
import { api, type Payment } from '../../api';
import { t } from '../../i18n';
import { described, Field, Problem } from '../../ui';
import { useAction } from '../../use-action';

/** Mark a flagged payment dealt with, saying what was done (refunded, fulfilled by hand...): it leaves the queue. */
export function ResolvePayment(props: { payment: Payment; onResolved: () => void }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const { busy, problem, fields, run } = useAction();
  const id = `resolve-${props.payment.id}`;
  if (!open)
    return (
      <button type="button" class="secondary" onClick={() => setOpen(true)}>
        {t('payments.resolve')}
      </button>
    );
  const submit = (e: Event) => {
    e.preventDefault();
    void run(
      () => api('POST', `/api/payments/${encodeURIComponent(props.payment.id)}/resolve`, { note }),
      () => props.onResolved(),
    );
  };
  return (
    <form onSubmit={submit} noValidate>
      <Problem message={problem} />
      <Field id={id} label={t('payments.resolveNote')} hint={t('payments.resolveHint')} error={fields.note}>
        <input
          {...described(id, t('payments.resolveHint'), fields.note)}
          value={note}
          onInput={(e) => setNote(e.currentTarget.value)}
        />
      </Field>
      <div class="actions">
        <button type="submit" disabled={busy || note.trim().length < 2}>
          {t('payments.resolveConfirm')}
        </button>
        <button type="button" class="secondary" onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
