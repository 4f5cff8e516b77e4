import { ERROR_STATUS, type ErrorCode, type FieldError } from './error-codes.js';

/** A failure we expect and can explain to the caller; the global filter turns it into the envelope. */
export class AppError extends Error {
  readonly status: number;

  /** Seconds the caller should wait (sent as Retry-After). */
  retryAfterS?: number;

  /** Machine-readable hints beside the message (`reauth: true` asks the client for the password again). */
  extra?: Record<string, boolean | string | number>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }

  static notFound(what: string): AppError {
    return new AppError('NOT_FOUND', `${what} not found`);
  }

  static conflict(message: string): AppError {
    return new AppError('CONFLICT', message);
  }

  static validation(message: string, errors?: FieldError[]): AppError {
    return new AppError('VALIDATION_ERROR', message, errors);
  }

  static forbidden(message = 'You do not have permission to do this'): AppError {
    return new AppError('FORBIDDEN', message);
  }

  /** A sensitive change from a session whose password was not entered recently (sudo mode). */
  static reauthRequired(windowMin: number): AppError {
    const error = new AppError(
      'FORBIDDEN',
      `Enter your password again to make this change (POST /api/auth/reauth); it counts for ${windowMin} minutes`,
    );
    error.extra = { reauth: true };
    return error;
  }

  static rateLimited(message: string, retryAfterS: number): AppError {
    const error = new AppError('RATE_LIMITED', message);
    error.retryAfterS = Math.max(1, Math.ceil(retryAfterS));
    return error;
  }

  static timeout(message: string): AppError {
    return new AppError('TIMEOUT', message);
  }

  static unauthorized(message = 'Authentication required'): AppError {
    return new AppError('UNAUTHORIZED', message);
  }
}
