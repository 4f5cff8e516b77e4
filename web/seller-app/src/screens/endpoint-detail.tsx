import { t } from '../i18n';
import { useState } from 'preact/hooks';
import type { Revealed } from '../sections/settings/integrations';
import { api, type DeliveryDetail, type EndpointDetail, errorText, type Session } from '../api';
import { eventLabel, when } from '../format';
import { go, href } from '../router';
import { verificationSnippets } from '../snippets';
import { useApi } from '../use-api';
import { Code, Confirm, CopyButton, Done, Loading, Problem } from '../ui';
import { AttemptSummary, Deliveries } from './deliveries';
import { EndpointStatus } from './endpoints';

type Asking = 'delete' | 'rotate' | 'enable' | null;

export function EndpointDetailScreen(props: {
  session: Session;
  endpointId: string;
  revealed: Revealed | null;
  onRevealed: (r: Revealed | null) => void;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [asking, setAsking] = useState<Asking>(null);
  const [backlog, setBacklog] = useState<'deliver' | 'discard'>('deliver');
  const [busy, setBusy] = useState(false);
  const [test, setTest] = useState<DeliveryDetail | null>(null);
  const [refresh, setRefresh] = useState(0);
  const owner = props.session.user.role === 'OWNER';
  const path = `/api/webhooks/${props.endpointId}`;
  // `refresh` also tells the delivery log below to read again after an action.
  const { data: endpoint, problem: loadProblem } = useApi<EndpointDetail>(path, { refresh });

  const act = async (what: () => Promise<string | void>) => {
    setBusy(true);
    setProblem(null);
    setDone(null);
    try {
      const message = await what();
      if (message) setDone(message);
      setAsking(null);
      setRefresh((n) => n + 1);
    } catch (e) {
      setProblem(errorText(e));
      setAsking(null);
    } finally {
      setBusy(false);
    }
  };

  if (!endpoint)
    return (
      <section>
        <h1 tabIndex={-1}>{t('int.endpoint')}</h1>
        <Problem message={loadProblem} />
        {!loadProblem && <Loading what={t('int.endpointLoading')} />}
      </section>
    );

  const sendTest = () =>
    act(async () => {
      const result = await api<DeliveryDetail>('POST', `${path}/test`);
      setTest(result);
    });
  const setActive = (isActive: boolean) =>
    act(async () => {
      await api('PATCH', `${path}/toggle`, isActive ? { isActive, backlog } : { isActive });
      return isActive ? t('int.onAgain') : t('int.offNow');
    });
  const rotate = () =>
    act(async () => {
      const r = await api<{ secret: string }>('POST', `${path}/rotate-secret`);
      props.onRevealed({ endpointId: endpoint.id, secret: r.secret, rotated: true });
      return t('int.newSecretMade');
    });
  const remove = () =>
    act(async () => {
      await api('DELETE', path);
      props.onRevealed(null);
      go('/endpoints');
    });

  return (
    <section aria-labelledby="page-title">
      <p class="crumbs">
        <a href={href('/endpoints')}>{t('int.allEndpoints')}</a>
      </p>
      <div class="title-row">
        <h1 id="page-title" tabIndex={-1} class="endpoint-url">
          {endpoint.url}
        </h1>
        <EndpointStatus endpoint={endpoint} />
      </div>
      {endpoint.description && <p class="lead">{endpoint.description}</p>}
      <p class="muted">
        {t('int.sends', { events: endpoint.events.map(eventLabel).join(', '), when: when(endpoint.createdAt) })}
      </p>
      <Problem message={problem} />
      <Done message={done} />

      {props.revealed && (
        <SecretPanel endpoint={endpoint} revealed={props.revealed} onHide={() => props.onRevealed(null)} />
      )}

      {!endpoint.isActive && (
        <div class="notice">
          <p>
            <strong>{t('int.offSinceDot', { when: when(endpoint.disabledAt) })}</strong>{' '}
            {endpoint.disabledBy === 'failures'
              ? t('int.stoppedAfter', { reason: endpoint.disabledReason ? ` (${endpoint.disabledReason})` : '' })
              : t('int.offByHand')}
          </p>
          {endpoint.parkedDeliveries > 0 && <p>{t('int.deliveriesWaiting', { n: endpoint.parkedDeliveries })}</p>}
          {endpoint.droppedDeliveries > 0 && <p>{t('int.dropped', { n: endpoint.droppedDeliveries })}</p>}
        </div>
      )}

      {owner && (
        <div class="toolbar" role="group" aria-label={t('int.actions')}>
          <button type="button" disabled={busy} onClick={() => void sendTest()}>
            {t('int.sendTest')}
          </button>
          {endpoint.isActive ? (
            <button type="button" class="secondary" disabled={busy} onClick={() => void setActive(false)}>
              {t('int.switchOff')}
            </button>
          ) : (
            <button
              type="button"
              class="secondary"
              disabled={busy}
              onClick={() => (endpoint.parkedDeliveries > 0 ? setAsking('enable') : void setActive(true))}
            >
              {t('int.switchOn')}
            </button>
          )}
          <button type="button" class="secondary" disabled={busy} onClick={() => setAsking('rotate')}>
            {t('int.rotate')}
          </button>
          <a class="button secondary" href={href(`/endpoints/${endpoint.id}/edit`)}>
            {t('int.edit')}
          </a>
          <button type="button" class="danger" disabled={busy} onClick={() => setAsking('delete')}>
            {t('common.delete')}
          </button>
        </div>
      )}

      {test && (
        <div class={`test-result ${test.status === 'SUCCEEDED' ? 'good' : 'bad'}`} role="status">
          <h2>{t('int.testEvent')}</h2>
          <p>{test.status === 'SUCCEEDED' ? t('int.testOk') : t('int.testFailed')}</p>
          {test.attemptLog[0] && <AttemptSummary attempt={test.attemptLog[0]} />}
        </div>
      )}

      <Deliveries session={props.session} endpointId={endpoint.id} refresh={refresh} />

      <Confirm
        open={asking === 'delete'}
        title={t('int.deleteTitle')}
        confirmLabel={t('int.deleteConfirm')}
        danger
        busy={busy}
        onConfirm={() => void remove()}
        onCancel={() => setAsking(null)}
      >
        <p>{t('int.deleteBody', { url: endpoint.url })}</p>
      </Confirm>
      <Confirm
        open={asking === 'rotate'}
        title={t('int.rotateTitle')}
        confirmLabel={t('int.rotateConfirm')}
        busy={busy}
        onConfirm={() => void rotate()}
        onCancel={() => setAsking(null)}
      >
        <p>{t('int.rotateBody')}</p>
      </Confirm>
      <Confirm
        open={asking === 'enable'}
        title={t('int.enableTitle')}
        confirmLabel={t('int.switchOn')}
        busy={busy}
        onConfirm={() => void setActive(true)}
        onCancel={() => setAsking(null)}
      >
        <p>{t('int.waited', { n: endpoint.parkedDeliveries })}</p>
        <label class="check">
          <input type="radio" name="backlog" checked={backlog === 'deliver'} onChange={() => setBacklog('deliver')} />
          <span>{t('int.sendThem')}</span>
        </label>
        <label class="check">
          <input type="radio" name="backlog" checked={backlog === 'discard'} onChange={() => setBacklog('discard')} />
          <span>{t('int.discardThem')}</span>
        </label>
      </Confirm>
    </section>
  );
}

function SecretPanel(props: { endpoint: { id: string; url: string }; revealed: Revealed; onHide: () => void }) {
  const snippets = verificationSnippets(props.endpoint, props.revealed.secret);
  return (
    <div class="secret" aria-labelledby="secret-title">
      <h2 id="secret-title">{props.revealed.rotated ? t('int.newSecret') : t('int.secret')}</h2>
      <p>
        <strong>{t('int.copyNow')}</strong> {t('int.secretWhy', { header: 'X-SokoHub-Signature' })}
        {props.revealed.rotated && t('int.oldWorks')}
      </p>
      <div class="secret-value">
        <code data-testid="secret">{props.revealed.secret}</code>
        <CopyButton text={props.revealed.secret} label={t('int.copySecret')} />
      </div>
      <h3>{t('int.checkSignature')}</h3>
      {snippets.map((s, i) => (
        <details key={s.id} open={i === 0}>
          <summary>{s.label}</summary>
          <Code>{s.code}</Code>
          <CopyButton text={s.code} label={t('int.copyCode', { label: s.label })} />
        </details>
      ))}
      <button type="button" class="secondary" onClick={props.onHide}>
        {t('int.saved')}
      </button>
    </div>
  );
}
