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
        <h1 tabIndex={-1}>Endpoint</h1>
        <Problem message={loadProblem} />
        {!loadProblem && <Loading what="the endpoint" />}
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
      return isActive
        ? 'The endpoint is on again.'
        : 'The endpoint is off. Nothing is sent to it until you switch it on.';
    });
  const rotate = () =>
    act(async () => {
      const r = await api<{ secret: string }>('POST', `${path}/rotate-secret`);
      props.onRevealed({ endpointId: endpoint.id, secret: r.secret, rotated: true });
      return 'A new secret was made. Copy it below.';
    });
  const remove = () =>
    act(async () => {
      await api('DELETE', path);
      props.onRevealed(null);
      go('/');
    });

  return (
    <section aria-labelledby="page-title">
      <p class="crumbs">
        <a href={href('/')}>← All endpoints</a>
      </p>
      <div class="title-row">
        <h1 id="page-title" tabIndex={-1} class="endpoint-url">
          {endpoint.url}
        </h1>
        <EndpointStatus endpoint={endpoint} />
      </div>
      {endpoint.description && <p class="lead">{endpoint.description}</p>}
      <p class="muted">
        Sends: {endpoint.events.map(eventLabel).join(', ')} · added {when(endpoint.createdAt)}
      </p>
      <Problem message={problem} />
      <Done message={done} />

      {props.revealed && (
        <SecretPanel endpoint={endpoint} revealed={props.revealed} onHide={() => props.onRevealed(null)} />
      )}

      {!endpoint.isActive && (
        <div class="notice">
          <p>
            <strong>Off since {when(endpoint.disabledAt)}.</strong>{' '}
            {endpoint.disabledBy === 'failures'
              ? `SokoHub stopped sending after repeated failures${endpoint.disabledReason ? ` (${endpoint.disabledReason})` : ''}. ` +
                'New events are kept for it and sent, in order, when you switch it back on.'
              : 'It was switched off by hand: nothing is kept for it meanwhile.'}
          </p>
          {endpoint.parkedDeliveries > 0 && <p>{endpoint.parkedDeliveries} deliveries are waiting.</p>}
          {endpoint.droppedDeliveries > 0 && (
            <p>{endpoint.droppedDeliveries} events were not kept (too many while off).</p>
          )}
        </div>
      )}

      {owner && (
        <div class="toolbar" role="group" aria-label="Endpoint actions">
          <button type="button" disabled={busy} onClick={() => void sendTest()}>
            Send a test event
          </button>
          {endpoint.isActive ? (
            <button type="button" class="secondary" disabled={busy} onClick={() => void setActive(false)}>
              Switch off
            </button>
          ) : (
            <button
              type="button"
              class="secondary"
              disabled={busy}
              onClick={() => (endpoint.parkedDeliveries > 0 ? setAsking('enable') : void setActive(true))}
            >
              Switch on
            </button>
          )}
          <button type="button" class="secondary" disabled={busy} onClick={() => setAsking('rotate')}>
            Rotate secret
          </button>
          <a class="button secondary" href={href(`/endpoints/${endpoint.id}/edit`)}>
            Edit
          </a>
          <button type="button" class="danger" disabled={busy} onClick={() => setAsking('delete')}>
            Delete
          </button>
        </div>
      )}

      {test && (
        <div class={`test-result ${test.status === 'SUCCEEDED' ? 'good' : 'bad'}`} role="status">
          <h2>Test event</h2>
          <p>
            {test.status === 'SUCCEEDED'
              ? 'Your server received the test event.'
              : 'The test event did not get through. It will be retried; see the details below.'}
          </p>
          {test.attemptLog[0] && <AttemptSummary attempt={test.attemptLog[0]} />}
        </div>
      )}

      <Deliveries session={props.session} endpointId={endpoint.id} refresh={refresh} />

      <Confirm
        open={asking === 'delete'}
        title="Delete this endpoint?"
        confirmLabel="Delete endpoint"
        danger
        busy={busy}
        onConfirm={() => void remove()}
        onCancel={() => setAsking(null)}
      >
        <p>
          SokoHub stops sending to <strong>{endpoint.url}</strong> at once and its delivery history is removed. This
          cannot be undone.
        </p>
      </Confirm>
      <Confirm
        open={asking === 'rotate'}
        title="Make a new secret?"
        confirmLabel="Make a new secret"
        busy={busy}
        onConfirm={() => void rotate()}
        onCancel={() => setAsking(null)}
      >
        <p>
          Deliveries are signed with the new secret from now on. For the next 24 hours they also carry a signature made
          with the old one, so your server keeps accepting them while you put the new secret in place. After 24 hours
          only the new secret works.
        </p>
      </Confirm>
      <Confirm
        open={asking === 'enable'}
        title="Switch the endpoint back on"
        confirmLabel="Switch on"
        busy={busy}
        onConfirm={() => void setActive(true)}
        onCancel={() => setAsking(null)}
      >
        <p>{endpoint.parkedDeliveries} deliveries waited while it was off. What should happen to them?</p>
        <label class="check">
          <input type="radio" name="backlog" checked={backlog === 'deliver'} onChange={() => setBacklog('deliver')} />
          <span>Send them, oldest first</span>
        </label>
        <label class="check">
          <input type="radio" name="backlog" checked={backlog === 'discard'} onChange={() => setBacklog('discard')} />
          <span>Discard them (they are marked failed, and can still be recovered later)</span>
        </label>
      </Confirm>
    </section>
  );
}

function SecretPanel(props: { endpoint: { id: string; url: string }; revealed: Revealed; onHide: () => void }) {
  const snippets = verificationSnippets(props.endpoint, props.revealed.secret);
  return (
    <div class="secret" aria-labelledby="secret-title">
      <h2 id="secret-title">{props.revealed.rotated ? 'Your new signing secret' : 'Your signing secret'}</h2>
      <p>
        <strong>Copy it now: it is shown only this once.</strong> Your server uses it to check that each request really
        comes from SokoHub (the <code>X-SokoHub-Signature</code> header).
        {props.revealed.rotated && ' The old secret keeps working for 24 hours.'}
      </p>
      <div class="secret-value">
        <code data-testid="secret">{props.revealed.secret}</code>
        <CopyButton text={props.revealed.secret} label="Copy secret" />
      </div>
      <h3>Check the signature on your server</h3>
      {snippets.map((s, i) => (
        <details key={s.id} open={i === 0}>
          <summary>{s.label}</summary>
          <Code>{s.code}</Code>
          <CopyButton text={s.code} label={`Copy ${s.label} code`} />
        </details>
      ))}
      <button type="button" class="secondary" onClick={props.onHide}>
        I have saved it
      </button>
    </div>
  );
}
