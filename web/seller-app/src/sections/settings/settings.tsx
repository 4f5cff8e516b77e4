import { useState } from 'preact/hooks';
import { api, type Session } from '../../api';
import { t } from '../../i18n';
import { href } from '../../router';
import { Confirm, Problem } from '../../ui';
import { useAction } from '../../use-action';
import { AuditLog } from './audit-log';
import { PasswordScreen } from './password';
import { ShopSettingsScreen } from './shop-settings';
import { StaffScreen } from './staff';

/** Settings: only the entries the seller's role may open (the API's rules), then sign-out. */
export function SettingsSection(props: { session: Session; route: string[]; onSignedOut: () => void }) {
  const { session, route } = props;
  const owner = session.user.role === 'OWNER';
  if (route[0] === 'staff' && owner) return <StaffScreen session={session} />;
  if (route[0] === 'audit' && owner) return <AuditLog />;
  if (route[0] === 'shop') return <ShopSettingsScreen session={session} />;
  if (route[0] === 'password') return <PasswordScreen />;
  return <SettingsMenu session={session} onSignedOut={props.onSignedOut} />;
}

function SettingsMenu({ session, onSignedOut }: { session: Session; onSignedOut: () => void }) {
  const owner = session.user.role === 'OWNER';
  const [everywhere, setEverywhere] = useState(false);
  const { busy, problem, run } = useAction();
  const signOut = async (path: '/api/auth/logout' | '/api/auth/logout-all') => {
    if (!(await run(() => api('POST', path), onSignedOut))) setEverywhere(false);
  };
  const entries: { path: string; key: 'integrations' | 'staff' | 'shop' | 'audit' | 'password' }[] = [
    { path: '/endpoints', key: 'integrations' },
    ...(owner ? [{ path: '/settings/staff', key: 'staff' as const }] : []),
    { path: '/settings/shop', key: 'shop' },
    ...(owner ? [{ path: '/settings/audit', key: 'audit' as const }] : []),
    { path: '/settings/password', key: 'password' },
  ];
  return (
    <>
      <h1 tabIndex={-1}>{t('nav.settings')}</h1>
      <ul class="menu">
        {entries.map((e) => (
          <li key={e.key}>
            <a href={href(e.path)}>
              <strong>{t(`settings.${e.key}`)}</strong>
              <span class="muted">{t(`settings.${e.key}.about`)}</span>
            </a>
          </li>
        ))}
      </ul>
      <section aria-labelledby="signout-title" class="card">
        <h2 id="signout-title">{t('settings.signOutTitle')}</h2>
        <p class="muted">{t('settings.signedInAs', { email: session.user.email })}</p>
        <Problem message={problem} />
        <div class="actions">
          <button type="button" class="secondary" disabled={busy} onClick={() => void signOut('/api/auth/logout')}>
            {t('settings.signOut')}
          </button>
          <button type="button" class="danger" disabled={busy} onClick={() => setEverywhere(true)}>
            {t('settings.signOutEverywhere')}
          </button>
        </div>
      </section>
      <Confirm
        open={everywhere}
        title={t('settings.signOutEverywhere')}
        confirmLabel={t('settings.signOutEverywhere')}
        danger
        busy={busy}
        onConfirm={() => void signOut('/api/auth/logout-all')}
        onCancel={() => setEverywhere(false)}
      >
        <p>{t('settings.everywhereBody')}</p>
      </Confirm>
    </>
  );
}
