import { useEffect, useState } from 'preact/hooks';
import { api, type Endpoint, type EndpointDetail, type Session } from '../api';
import { deliveryStatusWord, eventLabel, percent, when } from '../format';
import { href } from '../router';
import { Badge, Empty, Loading, Problem } from '../ui';
import { useApi } from '../use-api';

export function EndpointStatus({ endpoint }: { endpoint: Endpoint }) {
  if (endpoint.isActive) return <Badge tone="good">Active</Badge>;
  return (
    <Badge tone={endpoint.disabledBy === 'failures' ? 'bad' : 'muted'}>
      {endpoint.disabledBy === 'failures' ? 'Stopped after failures' : 'Switched off'}
    </Badge>
  );
}

/** The recent health of an endpoint, from its last 20 deliveries. */
function Health({ detail }: { detail?: EndpointDetail }) {
  if (!detail) return <span class="muted">Checking recent deliveries…</span>;
  const tried = detail.recentDeliveries.filter((d) => d.attempts > 0 && d.status !== 'PAUSED');
  const ok = tried.filter((d) => d.status === 'SUCCEEDED').length;
  const last = detail.recentDeliveries[0];
  return (
    <dl class="facts">
      <div>
        <dt>Recent success</dt>
        <dd>{tried.length ? `${percent(ok, tried.length)} of the last ${tried.length}` : 'No deliveries yet'}</dd>
      </div>
      <div>
        <dt>Last delivery</dt>
        <dd>{last ? `${deliveryStatusWord(last)} · ${when(last.createdAt)}` : '—'}</dd>
      </div>
    </dl>
  );
}

export function EndpointsScreen({ session }: { session: Session }) {
  const { data: endpoints, problem } = useApi<Endpoint[]>('/api/webhooks');
  const [details, setDetails] = useState<Record<string, EndpointDetail>>({});
  const owner = session.user.role === 'OWNER';

  // Each endpoint's recent deliveries, for its health line (a shop has a handful of endpoints).
  useEffect(() => {
    for (const e of endpoints ?? [])
      api<EndpointDetail>('GET', `/api/webhooks/${e.id}`).then(
        (d) => setDetails((all) => ({ ...all, [e.id]: d })),
        () => undefined,
      );
  }, [endpoints]);

  return (
    <section aria-labelledby="page-title">
      <div class="title-row">
        <h1 id="page-title" tabIndex={-1}>
          Webhooks
        </h1>
        {owner && (
          <a class="button" href={href('/endpoints/new')}>
            Add endpoint
          </a>
        )}
      </div>
      <p class="lead">
        SokoHub sends each change in your shop (orders, payments, products, stock) to the addresses below, signed so
        your server can tell it came from us, and retried until your server answers.
      </p>
      <Problem message={problem} />
      {!endpoints && !problem && <Loading what="endpoints" />}
      {endpoints?.length === 0 && (
        <Empty>
          <p>No endpoints yet.</p>
          {owner ? (
            <p>Add one to send your shop's events to Zapier, Make or your own server.</p>
          ) : (
            <p>The shop owner can add one.</p>
          )}
        </Empty>
      )}
      <ul class="cards">
        {endpoints?.map((e) => (
          <li class="card" key={e.id}>
            <div class="card-head">
              <a class="endpoint-url" href={href(`/endpoints/${e.id}`)}>
                {e.url}
              </a>
              <EndpointStatus endpoint={e} />
            </div>
            {e.description && <p>{e.description}</p>}
            {!e.isActive && (
              <p class="muted">
                Off since {when(e.disabledAt)}
                {e.disabledReason ? `: ${e.disabledReason}` : ''}
                {e.parkedDeliveries > 0 ? ` · ${e.parkedDeliveries} deliveries waiting` : ''}
              </p>
            )}
            <p class="muted">{e.events.map(eventLabel).join(', ')}</p>
            <Health detail={details[e.id]} />
          </li>
        ))}
      </ul>
    </section>
  );
}
