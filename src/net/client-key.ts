import ipaddr from 'ipaddr.js';

/**
 * The key per-address limits count a client by: an IPv4 address as it is (an IPv4-mapped IPv6 address in its IPv4
 * form), an IPv6 address by its /64 — one home or mobile network is handed a whole /64, so counting full addresses
 * would give one person 2^64 allowances.
 */
export function clientKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  // Parsing an address costs more than the rest of a rate-limit check: remembered for the addresses seen lately.
  let key = recent.get(ip);
  if (key === undefined) {
    if (recent.size >= RECENT_MAX) recent.clear();
    recent.set(ip, (key = keyOf(ip)));
  }
  return key;
}

const RECENT_MAX = 10_000;
const recent = new Map<string, string>();

function keyOf(ip: string): string {
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
