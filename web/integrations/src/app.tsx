import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Session, whenSignedOut } from './api';
import { ROLE_WORDS } from './format';
import { href, useRoute } from './router';
import { AccessScreen } from './screens/access';
import { EndpointDetailScreen } from './screens/endpoint-detail';
import { EndpointFormScreen } from './screens/endpoint-form';
import { EndpointsScreen } from './screens/endpoints';
import { MpesaScreen } from './screens/mpesa';
import { SignInScreen } from './screens/sign-in';
import { Loading } from './ui';

/** A secret the API showed once (a new endpoint or a rotation), kept only in memory until the seller leaves. */
export interface Revealed {
  endpointId: string;
  secret: string;
  rotated: boolean;
}

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const route = useRoute();
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    whenSignedOut(() => setSession(null));
    api<Session>('GET', '/api/auth/me').then(setSession, () => setSession(null));
  }, []);
  // Move focus to the new screen's heading, so keyboard and screen-reader users land where the content changed.
  useEffect(() => {
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [route.join('/'), session === undefined]);

  if (session === undefined)
    return (
      <main id="main" ref={main}>
        <Loading what="your shop" />
      </main>
    );
  if (session === null) return <SignInScreen onSignedIn={setSession} />;

  const signOut = async () => {
    await api('POST', '/api/auth/logout').catch(() => undefined);
    setRevealed(null);
    setSession(null);
  };
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
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), main.current?.querySelector('h1')?.focus())}>
        Skip to content
      </a>
      <header class="top">
        <div class="brand">
          <strong>{session.seller.storeName}</strong>
          <span class="who">
            {session.user.email} · {ROLE_WORDS[session.user.role]}
          </span>
        </div>
        <nav aria-label="Integrations">
          <a href={href('/')} aria-current={current === 'endpoints' ? 'page' : undefined}>
            Webhooks
          </a>
          <a href={href('/access')} aria-current={current === 'access' ? 'page' : undefined}>
            Partners &amp; API keys
          </a>
          <a href={href('/mpesa')} aria-current={current === 'mpesa' ? 'page' : undefined}>
            M-Pesa
          </a>
        </nav>
        <button type="button" class="secondary" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" ref={main}>
        {session.user.role !== 'OWNER' && (
          <p class="readonly-note">
            You are signed in as a {ROLE_WORDS[session.user.role].toLowerCase()}: you can look at everything here, but
            only the shop owner can change webhooks, partner access, API keys and M-Pesa settings.
          </p>
        )}
        {screen()}
      </main>
    </>
  );
}
