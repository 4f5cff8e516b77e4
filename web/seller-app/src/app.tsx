import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Session, whenSignedOut } from './api';
import { lang, type Lang, switchLanguage, t } from './i18n';
import { Icon } from './icons';
import { lazyScreen } from './lazy';
import { ReauthDialog } from './reauth';
import { href, openedAsIntegrations, useRoute } from './router';
import { OrdersSection } from './sections/orders/orders';
import { SignInScreen } from './screens/sign-in';
import { LanguagePicker, Loading } from './ui';

const ProductsSection = lazyScreen(() => import('./sections/products/products').then((m) => m.ProductsSection));
const CustomersSection = lazyScreen(() => import('./sections/customers/customers').then((m) => m.CustomersSection));
const AnalyticsSection = lazyScreen(() => import('./sections/analytics/analytics').then((m) => m.AnalyticsSection));
const SettingsSection = lazyScreen(() => import('./sections/settings/settings').then((m) => m.SettingsSection));
const IntegrationsSection = lazyScreen(() =>
  import('./sections/settings/integrations').then((m) => m.IntegrationsSection),
);

type Section = 'orders' | 'products' | 'customers' | 'analytics' | 'settings';
const SECTIONS: Section[] = ['orders', 'products', 'customers', 'analytics', 'settings'];
/** The Integrations page's own routes (kept from when it was a page of its own), under Settings. */
const INTEGRATION_ROUTES = ['endpoints', 'access', 'mpesa'];

/** Which section a route belongs to; an empty route opens the section the page's path names. */
function sectionOf(first: string | undefined): Section | 'integrations' {
  if (!first) return openedAsIntegrations() ? 'integrations' : 'orders';
  if (INTEGRATION_ROUTES.includes(first)) return 'integrations';
  if (first === 'payments') return 'orders';
  return SECTIONS.includes(first as Section) ? (first as Section) : 'orders';
}

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [language, setLanguage] = useState<Lang>(lang());
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
  useEffect(() => {
    document.title = session ? `${session.seller.storeName} · SokoHub` : 'SokoHub';
  }, [session]);

  const changeLanguage = async (next: Lang) => {
    await switchLanguage(next);
    setLanguage(next);
  };
  const picker = <LanguagePicker value={language} onChange={(l) => void changeLanguage(l)} />;

  if (session === undefined)
    return (
      <main id="main" ref={main}>
        <Loading what={t('loading.shop')} />
      </main>
    );
  if (session === null) return <SignInScreen onSignedIn={setSession} languagePicker={picker} />;

  const section = sectionOf(route[0]);
  const current: Section = section === 'integrations' ? 'settings' : section;
  const rest = route[0] && !INTEGRATION_ROUTES.includes(route[0]) ? route.slice(1) : route;
  const screen = () => {
    switch (section) {
      case 'integrations':
        return <IntegrationsSection session={session} route={route} />;
      case 'products':
        return <ProductsSection session={session} route={rest} />;
      case 'customers':
        return <CustomersSection session={session} route={rest} />;
      case 'analytics':
        return <AnalyticsSection session={session} route={rest} />;
      case 'settings':
        return <SettingsSection session={session} route={rest} onSignedOut={() => setSession(null)} />;
      default:
        return <OrdersSection session={session} route={route[0] === 'payments' ? ['payments'] : rest} />;
    }
  };
  return (
    <div class="shell" key={language}>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), main.current?.querySelector('h1')?.focus())}>
        {t('nav.skip')}
      </a>
      <header class="top">
        <div class="brand">
          <strong>{session.seller.storeName}</strong>
          <span class="who">
            {session.user.email} · {t(`role.${session.user.role}`)}
          </span>
        </div>
        {picker}
      </header>
      <nav class="tabs" aria-label={t('nav.label')}>
        {SECTIONS.map((s) => (
          <a key={s} href={href(`/${s}`)} aria-current={current === s ? 'page' : undefined} class={`tab tab-${s}`}>
            <Icon name={s} />
            {t(`nav.${s}`)}
          </a>
        ))}
      </nav>
      <main id="main" ref={main}>
        {session.user.role === 'VIEWER' && <p class="readonly-note">{t('role.viewerNote')}</p>}
        {screen()}
      </main>
      <ReauthDialog />
    </div>
  );
}
