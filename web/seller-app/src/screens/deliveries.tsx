import { t } from '../i18n';
import { useState } from 'preact/hooks';
import {
  api,
  type Attempt,
  type Delivery,
  type DeliveryDetail,
  type DeliveryStatus,
  errorText,
  type Page,
  type Session,
} from '../api';
import {
  DELIVERY_STATUSES,
  deliveryStatusWord,
  eventLabel,
  nairobiInputToIso,
  nairobiInputValue,
  statusWord,
  when,
} from '../format';
import { Badge, Code, described, Done, Empty, Field, Loading, Problem } from '../ui';
import { useApi, useEventCatalogue } from '../use-api';

const PAGE_SIZE = 50;
const TONE: Record<DeliveryStatus, 'good' | 'bad' | 'warn' | 'muted'> = {
  SUCCEEDED: 'good',
  FAILED: 'bad',
  PENDING: 'warn',
  PAUSED: 'muted',
};

export function AttemptSummary({ attempt }: { attempt: Attempt }) {
  return (
    <p>
      {t('int.attempt', {
        n: attempt.attempt,
        when: when(attempt.startedAt),
        answer: attempt.statusCode !== null ? t('int.answered', { code: attempt.statusCode }) : t('int.noAnswer'),
        ms: attempt.durationMs,
        error: attempt.error ? ` — ${attempt.error}` : '',
      })}
    </p>
  );
}

/** The delivery log of one endpoint: filters, 50 a page, each delivery opening to its attempts. */
export function Deliveries(props: { session: Session; endpointId: string; refresh: number }) {
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const [event, setEvent] = useState('');
  const [page, setPage] = useState(1);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [since, setSince] = useState(() => nairobiInputValue(24));
  const owner = props.session.user.role === 'OWNER';
  const base = `/api/webhooks/${props.endpointId}`;

  const { types } = useEventCatalogue();
  const q = new URLSearchParams({ page: String(page), limit: String(PAGE_SIZE) });
  if (status) q.set('status', status);
  if (event) q.set('event', event);
  // A new filter or page empties the list until its answer arrives.
  const {
    data,
    problem: loadProblem,
    reload,
  } = useApi<Page<Delivery>>(`${base}/deliveries?${q}`, { refresh: props.refresh, clear: true });

  const recover = async (e: Event) => {
    e.preventDefault();
    setProblem(null);
    setDone(null);
    try {
      const r = await api<{ requeued: number }>('POST', `${base}/recover`, { since: nairobiInputToIso(since) });
      setDone(r.requeued === 0 ? t('int.nothingFailed') : t('int.requeued', { n: r.requeued }));
      reload();
    } catch (err) {
      setProblem(errorText(err));
    }
  };
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;

  return (
    <section class="deliveries" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">{t('int.deliveries')}</h2>
      <div class="filters">
        <Field id="filter-status" label={t('int.status')}>
          <select
            id="filter-status"
            value={status}
            onChange={(e) => (setStatus(e.currentTarget.value as DeliveryStatus | ''), setPage(1))}
          >
            <option value="">{t('int.all')}</option>
            {DELIVERY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusWord(s)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="filter-event" label={t('int.event')}>
          <select id="filter-event" value={event} onChange={(e) => (setEvent(e.currentTarget.value), setPage(1))}>
            <option value="">{t('int.allEvents')}</option>
            {types?.map((type) => (
              <option key={type.event} value={type.event}>
                {eventLabel(type.event)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {owner && (
        <form class="recover" onSubmit={(e) => void recover(e)}>
          <Field id="recover-since" label={t('int.recoverSince')}>
            <input
              {...described('recover-since')}
              type="datetime-local"
              value={since}
              onInput={(e) => setSince(e.currentTarget.value)}
            />
          </Field>
          <button type="submit" class="secondary">
            {t('int.recover')}
          </button>
        </form>
      )}
      <Problem message={problem ?? loadProblem} />
      <Done message={done} />
      {!data && !loadProblem && <Loading what={t('int.deliveriesLoading')} />}
      {data?.data.length === 0 && (
        <Empty>
          <p>{status || event ? t('int.noneMatchFilters') : t('int.nothingSent')}</p>
        </Empty>
      )}
      <ul class="delivery-list">
        {data?.data.map((d) => (
          <li key={d.id} class="delivery">
            <button
              type="button"
              class="delivery-row"
              aria-expanded={open === d.id}
              aria-controls={`delivery-${d.id}`}
              onClick={() => setOpen(open === d.id ? null : d.id)}
            >
              <Badge tone={TONE[d.status]}>{deliveryStatusWord(d)}</Badge>
              <span class="delivery-event">
                {eventLabel(d.event)}
                {d.test ? t('int.test') : ''}
              </span>
              <span class="muted">{when(d.createdAt)}</span>
              <span class="muted">
                {t('int.attempts', { n: d.attempts })}
                {d.lastStatusCode !== null ? ` · ${d.lastStatusCode}` : ''}
              </span>
            </button>
            {open === d.id && (
              <DeliveryPanel
                id={`delivery-${d.id}`}
                path={`${base}/deliveries/${d.id}`}
                owner={owner}
                onRedelivered={reload}
              />
            )}
          </li>
        ))}
      </ul>
      {data && data.total > PAGE_SIZE && (
        <nav class="pager" aria-label={t('int.deliveryPages')}>
          <button type="button" class="secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t('int.newer')}
          </button>
          <span>{t('int.pageOf', { page, pages, total: data.total })}</span>
          <button type="button" class="secondary" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            {t('int.older')}
          </button>
        </nav>
      )}
    </section>
  );
}

function DeliveryPanel(props: { id: string; path: string; owner: boolean; onRedelivered: () => void }) {
  const { data: detail, problem: loadProblem } = useApi<DeliveryDetail>(props.path);
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const redeliver = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await api('POST', `${props.path}/redeliver`);
      setNote(t('int.sentAgain'));
      setTimeout(props.onRedelivered, 1500);
    } catch (e) {
      setProblem(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="delivery-detail" id={props.id}>
      <Problem message={problem ?? loadProblem} />
      <Done message={note} />
      {!detail && !loadProblem && <Loading what={t('int.attemptsLoading')} />}
      {detail && (
        <>
          <dl class="facts">
            <div>
              <dt>{t('int.eventId')}</dt>
              <dd>
                <code>{detail.eventId}</code>
              </dd>
            </div>
            <div>
              <dt>{t('int.deliveryId')}</dt>
              <dd>
                <code>{detail.id}</code>
              </dd>
            </div>
            {detail.status === 'PENDING' && detail.nextAttemptAt && (
              <div>
                <dt>{t('int.nextTry')}</dt>
                <dd>{when(detail.nextAttemptAt)}</dd>
              </div>
            )}
          </dl>
          {props.owner && detail.status !== 'PAUSED' && (
            <button type="button" disabled={busy} onClick={() => void redeliver()}>
              {t('int.redeliver')}
            </button>
          )}
          {detail.status === 'PAUSED' && <p class="muted">{t('int.waitingOn')}</p>}
          <h3>{t('int.bodySent')}</h3>
          <Code>{JSON.stringify(detail.payload, null, 2)}</Code>
          <h3>{t('int.attemptsTitle')}</h3>
          {detail.attemptLog.length === 0 && <p class="muted">{t('int.notAttempted')}</p>}
          <ol class="attempts">
            {detail.attemptLog.map((a) => (
              <li key={a.attempt} class="attempt">
                <AttemptSummary attempt={a} />
                {a.responseExcerpt && (
                  <>
                    <h4>{t('int.answer')}</h4>
                    <Code>{a.responseExcerpt}</Code>
                  </>
                )}
                {a.requestHeaders && (
                  <details>
                    <summary>{t('int.headers')}</summary>
                    <dl class="headers">
                      {Object.entries(a.requestHeaders).map(([name, value]) => (
                        <div key={name}>
                          <dt>{name}</dt>
                          <dd>
                            <code>{value}</code>
                          </dd>
                        </div>
                      ))}
                    </dl>
                  </details>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
