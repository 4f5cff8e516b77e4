import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from './i18n';
import { Loading, Problem } from './ui';

/**
 * A screen whose code is fetched the first time it is opened (its own chunk): the first screen stays small on a slow
 * phone, and a section nobody opens costs nothing.
 */
export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;
  return function LazyScreen(props: P) {
    const [, setReady] = useState(false);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (loaded) return;
      loading ??= load().then((c) => (loaded = c));
      loading.then(
        () => setReady(true),
        () => ((loading = null), setFailed(true)),
      );
    }, []);
    if (loaded) {
      const Screen = loaded;
      return <Screen {...props} />;
    }
    return failed ? <Problem message={t('error.offline')} /> : <Loading what={t('loading.screen')} />;
  };
}
