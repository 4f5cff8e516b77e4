import { type ValidationError } from '@nestjs/common';
import { flattenValidationErrors, validationExceptionFactory } from './validation.js';

const failed = (property: string, value: unknown, constraints: Record<string, string>): ValidationError => ({
  property,
  value,
  constraints,
  children: [],
});

describe('validation errors as the API reports them', () => {
  it('reports a value of the wrong kind as that alone, not with the ranges it cannot be held to', () => {
    const error = validationExceptionFactory([
      failed('limit', 'abc', {
        max: 'limit must not be greater than 100',
        min: 'limit must not be less than 1',
        isInt: 'limit must be an integer number',
      }),
    ]);
    expect(error.message).toBe('Validation failed: limit must be an integer number');
    expect(flattenValidationErrors([failed('limit', 'abc', { max: 'a', isInt: 'b', isNumber: 'c' })])).toEqual([
      { field: 'limit', message: 'b' },
      { field: 'limit', message: 'c' },
    ]);
  });

  it('keeps every rule of a right-kind value, a missing field as required, an unknown one as not allowed', () => {
    expect(
      flattenValidationErrors([
        failed('limit', 500, { max: 'limit must not be greater than 100' }),
        failed('name', undefined, { isString: 'name must be a string', maxLength: 'too long' }),
        failed('extra', 1, { whitelistValidation: 'property extra should not exist' }),
      ]),
    ).toEqual([
      { field: 'limit', message: 'limit must not be greater than 100' },
      { field: 'name', message: 'name is required' },
      { field: 'extra', message: 'extra is not an allowed field' },
    ]);
  });
});
