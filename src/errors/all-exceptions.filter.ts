import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Response } from 'express';
import { AppError } from './app-error.js';
import { type ErrorBody, type ErrorCode } from './error-codes.js';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_ERROR',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/** body-parser's and multer's own errors carry a status and a `type`/`code`, not an HttpException. */
interface ParserError {
  /** Set on zlib's errors (a compressed body that does not decompress). */
  errno?: number;
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

/**
 * One place turns every failure into `{success:false, code, message, statusCode}`; 500s keep detail in the log only.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    // An unreachable database is one line per request, not a stack each: the outage is the news, not the trace.
    if (body.code === 'UNAVAILABLE') this.logger.warn(`database unavailable: ${String(exception)}`);
    else if (body.statusCode >= 500)
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (res.headersSent) return;
    if (exception instanceof AppError && exception.retryAfterS)
      res.setHeader('Retry-After', String(exception.retryAfterS));
    if (body.code === 'UNAVAILABLE') res.setHeader('Retry-After', '2');
    res.status(body.statusCode).json(body);
  }

  toBody(exception: unknown): ErrorBody {
    if (exception instanceof AppError) {
      return {
        success: false,
        code: exception.code,
        message: exception.message,
        statusCode: exception.status,
        ...(exception.errors ? { errors: exception.errors } : {}),
        ...exception.extra,
      };
    }
    if (isStatementTimeout(exception)) {
      return {
        success: false,
        code: 'TIMEOUT',
        message: 'This request took too long and was stopped; nothing was changed. Try a narrower query or again later',
        statusCode: 503,
      };
    }
    if (isDatabaseUnavailable(exception)) {
      return {
        success: false,
        code: 'UNAVAILABLE',
        message: 'The database cannot be reached right now; nothing was changed. Retry in a few seconds',
        statusCode: 503,
      };
    }
    if (exception instanceof ThrottlerException) {
      return {
        success: false,
        code: 'RATE_LIMITED',
        message: 'Too many requests, back off and retry',
        statusCode: 429,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = CODE_BY_STATUS[status];
      if (code) return { success: false, code, message: this.httpMessage(exception, status), statusCode: status };
    }
    const parser = exception as ParserError;
    const parserStatus = parser?.status ?? parser?.statusCode;
    if (parser?.expose && parserStatus && parserStatus < 500) {
      return {
        success: false,
        code: CODE_BY_STATUS[parserStatus] ?? 'VALIDATION_ERROR',
        message: this.parserMessage(parser, parserStatus),
        statusCode: parserStatus,
      };
    }
    return {
      success: false,
      code: 'INTERNAL_ERROR',
      message: 'Something went wrong on our side; it has been logged',
      statusCode: 500,
    };
  }

  private httpMessage(exception: HttpException, status: number): string {
    if (status === 404) return 'Route not found';
    // The Express adapter wraps body-parser's own errors; their text can quote the body, so we say it our way.
    const cause = exception.cause as ParserError | undefined;
    if (cause instanceof SyntaxError && status === 400) return 'Malformed JSON in request body';
    if (cause instanceof URIError) return 'Malformed URL encoding';
    if (cause?.type) return this.parserMessage(cause, status);
    // zlib's own text ("incorrect header check", "Decompression failed") for a body that says gzip, deflate or br and
    // is not: a clearer sentence, the same 400.
    if (status === 400 && typeof cause?.errno === 'number') return 'Malformed compressed request body';
    const response = exception.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    if (Array.isArray(message)) return String(message[0]);
    return typeof message === 'string' ? message : exception.message;
  }

  private parserMessage(error: ParserError, status: number): string {
    if (error.type === 'entity.parse.failed') return 'Malformed JSON in request body';
    if (status === 413) return 'Request body is too large';
    if (error.type === 'charset.unsupported') return 'Unsupported charset: send the body as UTF-8';
    if (error.type === 'encoding.unsupported' || status === 415)
      return 'Unsupported Content-Encoding: send the body as it is, or gzip, deflate, br or zstd';
    return 'Bad request';
  }
}

/** PostgreSQL's query_canceled (57014): statement_timeout fired. MikroORM keeps the driver's code on its exception. */
function isStatementTimeout(exception: unknown): boolean {
  const e = exception as { code?: unknown; cause?: { code?: unknown } } | null;
  return e?.code === '57014' || e?.cause?.code === '57014';
}

/** Socket errors and PostgreSQL's own "cannot serve you now" codes (class 08, and 57P01–57P03 on shutdown/start-up). */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
/** Shutting down or starting (57P01–57P03), a read-only standby (25006), every connection slot taken (53300). */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '25006', '53300']);
const UNAVAILABLE_MESSAGES = new RegExp(
  [
    'Connection terminated',
    'connection timeout',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error',
    'the database system is (starting up|shutting down|in recovery mode|not yet accepting)',
    'terminating connection due to administrator command',
    'read-only transaction',
    // ALTER DATABASE … ALLOW_CONNECTIONS false (maintenance), or every connection slot taken.
    'is not currently accepting connections',
    'too many clients',
    'remaining connection slots are reserved',
  ].join('|'),
  'i',
);

/**
 * Whether a failure means "the database cannot be reached or cannot take writes right now" (a restart, a failover):
 * the request changed nothing and may be retried. Looks through `cause` chains (MikroORM wraps driver errors).
 */
export function isDatabaseUnavailable(exception: unknown): boolean {
  for (let e = exception as { code?: unknown; message?: unknown; cause?: unknown } | null, i = 0; e && i < 5; i++) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (UNAVAILABLE_CODES.has(code) || code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code)) return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
    e = (e.cause as typeof e) ?? null;
  }
  return false;
}
