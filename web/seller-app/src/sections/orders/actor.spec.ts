import { actorKind } from './actor';

describe('actorKind', () => {
  it.each([
    ['usr_me', 'you'],
    ['usr_someone', 'staff'],
    ['key_01abc', 'key'],
    ['apikey:key_01abc', 'key'],
    ['customer', 'customer'],
    ['mpesa', 'mpesa'],
    ['mpesa-query', 'mpesa'],
    ['system', 'system'],
  ])('%s -> %s', (actor, kind) => {
    expect(actorKind(actor, 'usr_me')).toBe(kind);
  });
});
