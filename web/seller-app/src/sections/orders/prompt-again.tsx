import { useEffect } from 'preact/hooks';
import { api } from '../../api';
import type { Order } from '../../api-types';
import { when } from '../../format';
import { t } from '../../i18n';
import { Done, Problem } from '../../ui';
import { useAction } from '../../use-action';
import { useApi } from '../../use-api';

type PromptStatus = 'NONE' | 'PENDING' | 'COMPLETED' | 'FAILED' | 'FLAGGED';
interface PromptState {
  lastPrompt: { status: PromptStatus; at: string | null; message: string | null };
  canPromptAgain: boolean;
}

/** While a prompt is on the buyer's phone, how often its outcome is asked for. */
const PENDING_POLL_MS = 4_000;

/**
 * An unpaid M-Pesa order's PIN prompt: the last one and how it went (M-Pesa's words when it failed), and for a MANAGER
 * or the owner "send it again" — the buyer on the phone missed it, cancelled it, or now wants to pay by prompt. Sent
 * to the order's own phone by the API, under the buyer's limits. `onPaid` reads the order again once it is paid.
 */
export function PromptAgain({ order, canSend, onPaid }: { order: Order; canSend: boolean; onPaid: () => void }) {
  const path = `/api/orders/${encodeURIComponent(order.id)}/prompt`;
  const { data, setData, reload } = useApi<PromptState>(path);
  const { busy, problem, done, run } = useAction();
  const status = data?.lastPrompt.status;
  useEffect(() => {
    if (status === 'COMPLETED' || status === 'FLAGGED') onPaid();
    if (status !== 'PENDING') return;
    const timer = setInterval(reload, PENDING_POLL_MS);
    return () => clearInterval(timer);
  }, [status]);
  // A shop without Daraja credentials sends no prompts: nothing to show.
  if (!data || (status === 'NONE' && !data.canPromptAgain)) return null;
  const { lastPrompt } = data;
  return (
    <div class="prompt-again" aria-live="polite">
      <p>
        <strong>{t('prompt.title')}</strong> · {t(`prompt.${lastPrompt.status}`)}
        {lastPrompt.at && <span class="muted"> · {when(lastPrompt.at)}</span>}
        {lastPrompt.message && <span class="muted"> · {lastPrompt.message}</span>}
      </p>
      <Problem message={problem} />
      <Done message={done} />
      {canSend && data.canPromptAgain && (
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            void run(
              () => api<PromptState>('POST', path),
              (next) => (setData(next), t('prompt.sent', { phone: order.customerPhone })),
            )
          }
        >
          {t('prompt.send')}
        </button>
      )}
    </div>
  );
}
