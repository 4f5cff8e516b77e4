import ipaddr from 'ipaddr.js';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * True for an address a webhook may reach: public unicast only (no loopback, private, link-local, CGNAT, multicast...).
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

export interface UrlPolicy {
  allowPrivate: boolean;
  requireHttps: boolean;
}

/**
 * Why `raw` may not be a webhook URL, or undefined when it may. Names are resolved: every address they resolve to must
 * be public (the send-time agent checks the address actually connected to as well).
 */
export async function webhookUrlProblem(raw: string, policy: UrlPolicy, resolve = lookup): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be a valid URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL';
  if (policy.requireHttps && url.protocol !== 'https:') return 'must use https';
  if (url.username || url.password) return 'must not contain credentials';
  if (policy.allowPrivate) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) {
    addresses = [host];
  } else {
    try {
      addresses = (await resolve(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      return 'host name does not resolve';
    }
  }
  if (!addresses.length || addresses.some((a) => !isPublicAddress(a)))
    return 'must not point at a private, loopback, link-local or reserved address';
  return undefined;
}
