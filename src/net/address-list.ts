import ipaddr from 'ipaddr.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** True for "10.0.0.0/8", "2001:db8::/32" or a single address. */
export function isAddressOrCidr(value: string): boolean {
  return ipaddr.isValidCIDR(value) || ipaddr.isValid(value);
}

/**
 * A list of addresses and CIDR ranges, matched the way a network sees them: an IPv4-mapped IPv6 address
 * (`::ffff:196.201.214.200`, how a dual-stack socket reports IPv4 peers) matches its IPv4 form.
 */
export class AddressList {
  private readonly ranges: Range[];

  constructor(entries: string[]) {
    this.ranges = entries.map((entry) => {
      if (ipaddr.isValidCIDR(entry)) {
        const [addr, bits] = ipaddr.parseCIDR(entry);
        return normalize(addr, bits);
      }
      const addr = ipaddr.parse(entry);
      return normalize(addr, addr.kind() === 'ipv4' ? 32 : 128);
    });
  }

  get size(): number {
    return this.ranges.length;
  }

  has(address: string | undefined): boolean {
    if (!address || !ipaddr.isValid(address)) return false;
    const addr = ipaddr.process(address);
    return this.ranges.some(([range, bits]) => range.kind() === addr.kind() && addr.match(range, bits));
  }
}

/** A range written as ::ffff:a.b.c.d/n is kept as the IPv4 range it stands for. */
function normalize(addr: ipaddr.IPv4 | ipaddr.IPv6, bits: number): Range {
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    return [(addr as ipaddr.IPv6).toIPv4Address(), bits - 96];
  }
  return [addr, bits];
}
