import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { AllExceptionsFilter } from './all-exceptions.filter.js';
import { AppError } from './app-error.js';

describe(AllExceptionsFilter.name, () => {
  const sut = new AllExceptionsFilter();

  it('turns an unexpected error into a generic 500 without its message or stack', () => {
    const body = sut.toBody(new Error('relation "users" does not exist at /src/secret/path.ts:12'));
    expect(body).toEqual({
      success: false,
      code: 'INTERNAL_ERROR',
      message: 'Something went wrong on our side; it has been logged',
      statusCode: 500,
    });
    expect(sut.toBody('a thrown string').statusCode).toBe(500);
    expect(sut.toBody(new HttpException('upstream broke', 502)).code).toBe('INTERNAL_ERROR');
  });

  it('keeps an AppError as it is, field errors included', () => {
    const body = sut.toBody(
      AppError.validation('Validation failed', [{ field: 'priceKes', message: 'must be positive' }]),
    );
    expect(body).toEqual({
      success: false,
      code: 'VALIDATION_ERROR',
      message: 'Validation failed',
      statusCode: 400,
      errors: [{ field: 'priceKes', message: 'must be positive' }],
    });
  });

  it('maps framework exceptions to the reference codes', () => {
    expect(sut.toBody(new NotFoundException()).code).toBe('NOT_FOUND');
    expect(sut.toBody(new ThrottlerException()).code).toBe('RATE_LIMITED');
    const malformed = new BadRequestException('Unexpected token } in JSON', {
      cause: Object.assign(new SyntaxError('x'), { status: 400 }),
    });
    expect(sut.toBody(malformed).message).toBe('Malformed JSON in request body');
  });

  it('answers 503 UNAVAILABLE when the database cannot be reached or cannot take writes, through cause chains', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const wrapped = Object.assign(new Error('driver failed'), { cause: refused });
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    const standby = Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' });
    for (const e of [refused, wrapped, shutdown, standby, new Error('Connection terminated unexpectedly')])
      expect(sut.toBody(e)).toMatchObject({ code: 'UNAVAILABLE', statusCode: 503 });
    const unique = Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
    expect(sut.toBody(unique).statusCode).toBe(500);
  });
});
