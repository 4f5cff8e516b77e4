import { AddressList, isAddressOrCidr } from './address-list.js';

describe(AddressList.name, () => {
  const sut = new AddressList(['196.201.214.0/24', '10.1.2.3', '2001:db8::/32', '::ffff:192.0.2.0/120']);

  it('matches ranges and single addresses', () => {
    expect(sut.has('196.201.214.200')).toBe(true);
    expect(sut.has('196.201.215.1')).toBe(false);
    expect(sut.has('10.1.2.3')).toBe(true);
    expect(sut.has('10.1.2.4')).toBe(false);
    expect(sut.has('2001:db8::1')).toBe(true);
  });

  it('matches the IPv4-mapped IPv6 form of an IPv4 peer, and mapped ranges', () => {
    expect(sut.has('::ffff:196.201.214.7')).toBe(true);
    expect(sut.has('::ffff:10.1.2.3')).toBe(true);
    expect(sut.has('192.0.2.9')).toBe(true);
  });

  it('refuses what is not an address', () => {
    expect(sut.has(undefined)).toBe(false);
    expect(sut.has('')).toBe(false);
    expect(sut.has('196.201.214.200, 1.1.1.1')).toBe(false);
  });

  it('validates entries', () => {
    expect(isAddressOrCidr('10.0.0.0/8')).toBe(true);
    expect(isAddressOrCidr('::1')).toBe(true);
    expect(isAddressOrCidr('10.0.0.0/33')).toBe(false);
    expect(isAddressOrCidr('example.com')).toBe(false);
  });
});
