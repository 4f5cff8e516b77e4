import { clientKey } from './client-key.js';

describe('clientKey', () => {
  it('counts an IPv6 client by its /64', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe(clientKey('2001:db8:1:2::9'));
    expect(clientKey('2001:db8:1:3::1')).not.toBe(clientKey('2001:db8:1:2::1'));
  });

  it('keeps IPv4 addresses whole, in their IPv4 form when mapped', () => {
    expect(clientKey('196.201.214.10')).toBe('196.201.214.10');
    expect(clientKey('::ffff:196.201.214.10')).toBe('196.201.214.10');
    expect(clientKey('196.201.214.11')).not.toBe(clientKey('196.201.214.10'));
  });

  it('passes anything else through', () => {
    expect(clientKey(undefined)).toBe('unknown');
    expect(clientKey('not-an-ip')).toBe('not-an-ip');
  });
});
