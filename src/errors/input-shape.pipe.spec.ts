import { findProblem, InputShapePipe, MAX_INPUT_DEPTH } from './input-shape.pipe.js';

describe('InputShapePipe', () => {
  const nest = (levels: number): unknown => (levels === 0 ? 'leaf' : { a: nest(levels - 1) });

  it('passes ordinary input, emoji and combining marks included', () => {
    expect(findProblem({ name: 'Kikoi 🇰🇪 e\u0301', items: [{ productId: 'prod_1', quantity: 2 }] })).toBeUndefined();
    expect(findProblem(nest(MAX_INPUT_DEPTH))).toBeUndefined();
  });

  it('names the field holding a NUL, a lone surrogate, or a bad key', () => {
    expect(findProblem({ items: [{ sku: 'a\u0000' }] })).toEqual({
      field: 'items.0.sku',
      message: 'items.0.sku must not contain NUL characters',
    });
    expect(findProblem({ name: 'x\udc00' })?.message).toBe('name is not valid Unicode text');
    expect(findProblem({ ['k\u0000']: 1 })?.field).toBe('k\u0000');
    expect(findProblem('a\u0000', 'q')?.field).toBe('q');
  });

  it('refuses nesting past the limit without recursing', () => {
    expect(findProblem(nest(MAX_INPUT_DEPTH + 1))?.message).toMatch(/nests deeper than 16 levels/);
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findProblem(deep)?.field).toBe('0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0');
  });

  it('leaves custom parameters (the signed-in user) alone and throws the validation error otherwise', () => {
    const pipe = new InputShapePipe();
    expect(pipe.transform({ x: 'a\u0000' }, { type: 'custom' })).toEqual({ x: 'a\u0000' });
    expect(() => pipe.transform('a\u0000', { type: 'param', data: 'id' })).toThrow(
      'id must not contain NUL characters',
    );
  });
});
