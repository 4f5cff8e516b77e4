import ipaddr from 'ipaddr.js';

/**
 * The key per-address limits count a client by: an IPv4 address as it is (an IPv4-mapped IPv6 address in its IPv4
 * form), an IPv6 address by its /64 — one home or mobile network is handed a whole /64, so counting full addresses
 * would give one person 2^64 allowances.
 */
export function clientKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  if (!ipaddr.isValid(ip)) return ip;
  const addr = ipaddr.parse(ip);
  if (addr.kind() === 'ipv4') return addr.toString();
  const v6 = addr as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  return `${v6.parts
    .slice(0, 4)
    .map((part) => part.toString(16))
    .join(':')}::/64`;
}
