import type { NextFunction, Request, Response } from 'express';

/**
 * Fixes `req.ip` for the rest of the request. Express computes it on every read (proxy-addr walks X-Forwarded-For
 * against TRUST_PROXY), and a request reads it a dozen times: each named rate limit's tracker and skip test, the log
 * line, the order limits. Same value, computed once.
 */
export function rememberClientAddress(req: Request, _res: Response, next: NextFunction): void {
  Object.defineProperty(req, 'ip', { value: req.ip, enumerable: true, configurable: true });
  next();
}
