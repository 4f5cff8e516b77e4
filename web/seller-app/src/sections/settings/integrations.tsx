import { useState } from 'preact/hooks';
import type { Session } from '../../api';
import { t } from '../../i18n';
import { href } from '../../router';
import { AccessScreen } from '../../screens/access';
import { EndpointDetailScreen } from '../../screens/endpoint-detail';
import { EndpointFormScreen } from '../../screens/endpoint-form';
import { EndpointsScreen } from '../../screens/endpoints';
import { MpesaScreen } from '../../screens/mpesa';

/** A secret the API showed once (a new endpoint or a rotation), kept only in memory until the seller leaves. */
export interface Revealed {
  endpointId: string;
  secret: string;
  rotated: boolean;
}

/**
 * Settings → Integrations (the page the reference sends sellers to, also served at /integrations): webhooks, partner
 * access and API keys, M-Pesa. Its routes (`#/endpoints/…`, `#/access`, `#/mpesa`) are the ones it had as a page.
 */
export function IntegrationsSection({ session, route }: { session: Session; route: string[] }) {
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const [section, id, action] = route;
  const screen = () => {
    if (section === 'endpoints' && id === 'new')
      return <EndpointFormScreen session={session} onCreated={setRevealed} />;
    if (section === 'endpoints' && id && action === 'edit')
      return <EndpointFormScreen session={session} endpointId={id} onCreated={setRevealed} />;
    if (section === 'endpoints' && id)
      return (
        <EndpointDetailScreen
          session={session}
          endpointId={id}
          revealed={revealed?.endpointId === id ? revealed : null}
          onRevealed={setRevealed}
        />
      );
    if (section === 'access') return <AccessScreen session={session} />;
    if (section === 'mpesa') return <MpesaScreen session={session} />;
    return <EndpointsScreen session={session} />;
  };
  const current = section === 'access' || section === 'mpesa' ? section : 'endpoints';
  return (
    <>
      <p class="crumbs">
        <a href={href('/settings')}>{t('nav.settings')}</a> › {t('settings.integrations')}
      </p>
      <nav class="subnav" aria-label={t('settings.integrations')}>
        <a href={href('/endpoints')} aria-current={current === 'endpoints' ? 'page' : undefined}>
          {t('integrations.webhooks')}
        </a>
        <a href={href('/access')} aria-current={current === 'access' ? 'page' : undefined}>
          {t('integrations.access')}
        </a>
        <a href={href('/mpesa')} aria-current={current === 'mpesa' ? 'page' : undefined}>
          M-Pesa
        </a>
      </nav>
      {session.user.role === 'MANAGER' && <p class="readonly-note">{t('integrations.ownerOnly')}</p>}
      {screen()}
    </>
  );
}
