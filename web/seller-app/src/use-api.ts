import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, errorText, type EventType } from './api';

/**
 * GET `path` (nothing while it is null), again whenever `path` or `refresh` change or `reload()` is called. `clear`
 * empties the data while a new read is on its way (a list whose filters or page changed); otherwise the last answer
 * stays on screen until the new one arrives.
 */
export function useApi<T>(
  path: string | null,
  options: { refresh?: number; clear?: boolean } = {},
): { data: T | null; problem: string | null; reload: () => void; setData: (data: T) => void } {
  const [data, setData] = useState<T | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [count, setCount] = useState(0);
  useEffect(() => {
    if (path === null) return;
    if (options.clear) setData(null);
    // An answer to a read that has since been replaced (a quicker filter change) is dropped.
    let current = true;
    api<T>('GET', path).then(
      (d) => current && (setData(d), setProblem(null)),
      (e) => current && setProblem(errorText(e)),
    );
    return () => {
      current = false;
    };
  }, [path, options.refresh, count]);
  const reload = useCallback(() => setCount((n) => n + 1), []);
  return { data, problem, reload, setData };
}

let catalogue: Promise<EventType[]> | undefined;

/** The event catalogue, read once per page load: it changes only with a new release of the API. */
export function useEventCatalogue(): { types: EventType[] | null; problem: string | null } {
  const [types, setTypes] = useState<EventType[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    catalogue ??= api<EventType[]>('GET', '/api/webhooks/events');
    catalogue.then(setTypes, (e) => {
      catalogue = undefined;
      setProblem(errorText(e));
    });
  }, []);
  return { types, problem };
}
