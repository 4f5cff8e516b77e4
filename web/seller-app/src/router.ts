import { useEffect, useState } from 'preact/hooks';

/** Hash routes (`#/orders/ord_…`): the server serves one page, the browser's back button works. */
export function useRoute(): string[] {
  const read = () => location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [parts, setParts] = useState(read);
  useEffect(() => {
    const onChange = () => setParts(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return parts;
}

export function go(path: string): void {
  location.hash = path;
}

export const href = (path: string): string => `#${path}`;

/** Opened at /integrations: the app starts in Settings → Integrations, as the reference sends sellers there. */
export const openedAsIntegrations = (): boolean => location.pathname.replace(/\/$/, '') === '/integrations';
