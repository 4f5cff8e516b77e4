import { SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { cacheRouteMetadata } from './reflector-cache.js';

class Plain {
  open(): void {}
}
@SetMetadata('role', 'OWNER')
class Decorated {
  @SetMetadata('public', true)
  open(): void {}

  closed(): void {}
}

describe('route metadata, read once', () => {
  it('answers what reflect-metadata answers, for every target and key, from the cache after the first read', () => {
    const before = new Reflector();
    const expected = [
      before.getAllAndOverride('public', [Decorated.prototype.open, Decorated]),
      before.getAllAndOverride('public', [Decorated.prototype.closed, Decorated]),
      before.getAllAndOverride('role', [Decorated.prototype.closed, Decorated]),
      before.getAllAndOverride('role', [Plain.prototype.open, Plain]),
    ];
    expect(expected).toEqual([true, undefined, 'OWNER', undefined]);
    cacheRouteMetadata();
    const reflector = new Reflector();
    const read = () => [
      reflector.getAllAndOverride('public', [Decorated.prototype.open, Decorated]),
      reflector.getAllAndOverride('public', [Decorated.prototype.closed, Decorated]),
      reflector.getAllAndOverride('role', [Decorated.prototype.closed, Decorated]),
      reflector.getAllAndOverride('role', [Plain.prototype.open, Plain]),
    ];
    expect(read()).toEqual(expected);
    const original = Reflect.getMetadata.bind(Reflect);
    let reads = 0;
    Reflect.getMetadata = ((key: unknown, target: object) => {
      reads++;
      return original(key, target);
    }) as typeof Reflect.getMetadata;
    try {
      expect(read()).toEqual(expected);
    } finally {
      Reflect.getMetadata = original;
    }
    expect(reads).toBe(0);
  });
});
