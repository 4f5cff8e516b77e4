/**
 * One database read shared by the gauges of one scrape: several gauges' collect() calls within `ttlMs` get the same
 * answer, so a scrape costs one statement per module, however many gauges read from it.
 */
export function scrapeCache<T>(read: () => Promise<T>, ttlMs = 1000): () => Promise<T> {
  let at = 0;
  let pending: Promise<T> | undefined;
  return () => {
    if (!pending || Date.now() - at > ttlMs) {
      at = Date.now();
      pending = read();
      // A failed read (database down) is not kept: the next scrape asks again.
      pending.catch(() => (pending = undefined));
    }
    return pending;
  };
}
