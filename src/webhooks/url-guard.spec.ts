import { isPublicAddress, webhookUrlProblem } from './url-guard.js';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '41.90.64.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'])('accepts %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('webhookUrlProblem', () => {
  const strict = { allowPrivate: false, requireHttps: false };
  const fakeDns = (map: Record<string, string[]>) =>
    (async (host: string) => {
      if (!map[host]) throw new Error('ENOTFOUND');
      return map[host].map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    }) as unknown as typeof import('node:dns/promises').lookup;

  it('refuses a name that resolves to loopback, and accepts a public one', async () => {
    const dns = fakeDns({
      'evil.example': ['127.0.0.1'],
      'shop.example': ['41.90.64.1'],
      'mixed.example': ['41.90.64.1', '10.0.0.1'],
    });
    expect(await webhookUrlProblem('https://evil.example/hook', strict, dns)).toMatch(/private/);
    expect(await webhookUrlProblem('https://mixed.example/hook', strict, dns)).toMatch(/private/);
    expect(await webhookUrlProblem('https://shop.example/hook', strict, dns)).toBeUndefined();
    expect(await webhookUrlProblem('https://nowhere.example/hook', strict, dns)).toBe('host name does not resolve');
  });

  it.each([
    'http://127.0.0.1/x',
    'http://localhost/x',
    'http://10.0.0.1/x',
    'http://169.254.169.254/latest',
    'http://[::1]/x',
    'http://[::ffff:127.0.0.1]/x',
  ])('refuses %s', async (url) => {
    expect(await webhookUrlProblem(url, strict)).toBeDefined();
  });

  it('checks scheme, https in production and credentials', async () => {
    expect(await webhookUrlProblem('ftp://shop.example', strict)).toBe('must be an http(s) URL');
    expect(await webhookUrlProblem('not a url', strict)).toBe('must be a valid URL');
    expect(await webhookUrlProblem('http://8.8.8.8/x', { allowPrivate: false, requireHttps: true })).toBe(
      'must use https',
    );
    expect(await webhookUrlProblem('https://user:pw@8.8.8.8/x', strict)).toBe('must not contain credentials');
    expect(
      await webhookUrlProblem('http://127.0.0.1:9999/x', { allowPrivate: true, requireHttps: false }),
    ).toBeUndefined();
  });
});
