import { fill } from './fill';

describe('fill', () => {
  it.each([
    ['{n} {n|item|items}', { n: 1 }, '1 item'],
    ['{n} {n|item|items}', { n: 2 }, '2 items'],
    ['{n} {n|item|items}', { n: 0 }, '0 items'],
    ['{n|Kitu|Vitu} {n}', { n: 1 }, 'Kitu 1'],
    [
      '{created} {created|product|products} added, {failed} {failed|line|lines}',
      { created: 1, failed: 3 },
      '1 product added, 3 lines',
    ],
    ['Hello {name}', { name: 'Amina' }, 'Hello Amina'],
    ['{n} {n|item|items}', { m: 1 }, '{n} {n|item|items}'],
  ])('%s with %j', (text, vars, expected) => {
    expect(fill(text, vars)).toBe(expected);
  });

  it('leaves a message without variables as it is', () => {
    expect(fill('Sign out')).toBe('Sign out');
  });
});
