import { Reflector } from '@nestjs/core';

/**
 * Route metadata is written by decorators when classes are defined and never changes afterwards, yet Nest's
 * Reflector reads it through reflect-metadata's prototype walk on every request, several times per guard (the auth,
 * access, CSRF and throttling guards ask about a dozen keys per request). This memoises `Reflector.get` per
 * (target, key): the same answers, read once.
 */
const cache = new WeakMap<object, Map<unknown, unknown>>();
let installed = false;

export function cacheRouteMetadata(): void {
  if (installed) return;
  installed = true;
  const read = Reflector.prototype.get;
  Reflector.prototype.get = function cachedGet(this: Reflector, key: unknown, target: object): unknown {
    if (target === undefined || target === null) return read.call(this, key as never, target);
    let byKey = cache.get(target);
    if (!byKey) cache.set(target, (byKey = new Map()));
    if (byKey.has(key)) return byKey.get(key);
    const value: unknown = read.call(this, key as never, target as never);
    byKey.set(key, value);
    return value;
  } as typeof Reflector.prototype.get;
}
