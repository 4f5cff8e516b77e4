/** The reference's error codes, and the HTTP status each one travels with. */
export const ERROR_STATUS = {
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  /** A statement ran past its time limit (DB_STATEMENT_TIMEOUT_MS); nothing was changed. */
  TIMEOUT: 503,
  /** The database cannot be reached (restarting, failing over); nothing was changed. Retry after Retry-After. */
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldError {
  field: string;
  message: string;
}

/** The error envelope every failed request gets. */
export interface ErrorBody {
  success: false;
  code: ErrorCode;
  message: string;
  statusCode: number;
  errors?: FieldError[];
  /** Present (true) when the change needs the password entered again: POST /api/auth/reauth. */
  reauth?: boolean;
}
