import { useState } from 'preact/hooks';
import type { Page, Payment, Session } from '../../api';
import { kes, when } from '../../format';
import { t } from '../../i18n';
import { href } from '../../router';
import { UnmatchedPayments } from '../../screens/unmatched-payments';
import { Done, ListState } from '../../ui';
import { useApi } from '../../use-api';
import { ResolvePayment } from './resolve-payment';

/**
 * Money to look at: payments the checks flagged (amount or receipt did not add up) until the seller marks each dealt
 * with, and till payments with no order.
 */
export function PaymentsReview({ session }: { session: Session }) {
  // Flagged and not yet marked dealt with: the queue empties as the seller works through it.
  const { data, problem, reload } = useApi<Page<Payment>>('/api/payments?status=FLAGGED&resolved=false&limit=50');
  const [resolved, setResolved] = useState(false);
  const canResolve = session.user.role !== 'VIEWER';
  return (
    <>
      <p class="crumbs">
        <a href={href('/orders')}>{t('nav.orders')}</a> › {t('payments.title')}
      </p>
      <h1 tabIndex={-1}>{t('payments.title')}</h1>
      <section aria-labelledby="flagged-title">
        <h2 id="flagged-title">{t('payments.flagged')}</h2>
        <p class="lead">{t('payments.flaggedLead')}</p>
        <Done message={resolved ? t('payments.resolved') : null} />
        <ListState
          loaded={data !== null}
          count={data?.data.length ?? 0}
          problem={problem}
          what={t('payments.flagged')}
          empty={t('payments.noneFlagged')}
        />
        <ul class="cards">
          {data?.data.map((p) => (
            <li key={p.id} class="card">
              <div class="card-head">
                <strong>{kes(p.amountKes)}</strong>
                <span>{p.mpesaReceipt ?? p.id}</span>
              </div>
              <p>{p.flagReason ?? p.resultDesc}</p>
              <p class="muted">
                {when(p.createdAt)}
                {p.phone && ` · ${p.phone}`}
              </p>
              {p.orderId && <a href={href(`/orders/${p.orderId}`)}>{t('payments.openOrder')}</a>}
              {canResolve && <ResolvePayment payment={p} onResolved={() => (setResolved(true), reload())} />}
            </li>
          ))}
        </ul>
      </section>
      <UnmatchedPayments session={session} />
    </>
  );
}
