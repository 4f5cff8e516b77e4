import { useEffect, useState } from 'preact/hooks';
import { api, type Endpoint, type EndpointDetail, type Session } from '../api';
import { deliveryStatusWord, eventLabel, percent, when } from '../format';
import { t } from '../i18n';
import { href } from '../router';
import { Badge, Empty, Loading, Problem } from '../ui';
import { useApi } from '../use-api';

export function EndpointStatus({ endpoint }: { endpoint: Endpoint }) {
  if (endpoint.isActive) return <Badge tone="good">{t('int.active')}</Badge>;
  return (
    <Badge tone={endpoint.disabledBy === 'failures' ? 'bad' : 'muted'}>
      {endpoint.disabledBy === 'failures' ? t('int.stoppedFailures') : t('int.switchedOff')}
    </Badge>
  );
}

/** The recent health of an endpoint, from its last 20 deliveries. */
function Health({ detail }: { detail?: EndpointDetail }) {
  if (!detail) return <span class="muted">{t('int.checkingRecent')}</span>;
  const tried = detail.recentDeliveries.filter((d) => d.attempts > 0 && d.status !== 'PAUSED');
  const ok = tried.filter((d) => d.status === 'SUCCEEDED').length;
  const last = detail.recentDeliveries[0];
  return (
    <dl class="facts">
      <div>
        <dt>{t('int.recentSuccess')}</dt>
        <dd>
          {tried.length
            ? t('int.successOf', { pct: percent(ok, tried.length), n: tried.length })
            : t('int.noDeliveries')}
        </dd>
      </div>
      <div>
        <dt>{t('int.lastDelivery')}</dt>
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
          {t('integrations.webhooks')}
        </h1>
        {owner && (
          <a class="button" href={href('/endpoints/new')}>
            {t('int.addEndpoint')}
          </a>
        )}
      </div>
      <p class="lead">{t('int.webhooksLead')}</p>
      <Problem message={problem} />
      {!endpoints && !problem && <Loading what={t('int.endpointsLoading')} />}
      {endpoints?.length === 0 && (
        <Empty>
          <p>{t('int.noEndpoints')}</p>
          {owner ? <p>{t('int.addOneHint')}</p> : <p>{t('int.ownerCanAdd')}</p>}
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
                {t('int.offSince', { when: when(e.disabledAt) })}
                {e.disabledReason ? `: ${e.disabledReason}` : ''}
                {e.parkedDeliveries > 0 ? ` · ${t('int.waitingCount', { n: e.parkedDeliveries })}` : ''}
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
