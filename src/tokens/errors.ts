/**
 * Errors of the token layer. Each carries a stable `code` that callers switch on and tests
 * assert; messages are for people and may change. No field ever holds a token or a secret.
 */

export type TokenErrorCode =
  /** The token endpoint could not be reached (DNS, refused, reset, TLS). */
  | 'ERR_TOKEN_ENDPOINT_UNREACHABLE'
  /** The token endpoint did not answer within the configured time. */
  | 'ERR_TOKEN_ENDPOINT_TIMEOUT'
  /** The token endpoint answered with a non-2xx status (OAuth error fields attached). */
  | 'ERR_TOKEN_ENDPOINT_STATUS'
  /** A 2xx answer that is not a usable token response (empty, HTML, no access_token, ...). */
  | 'ERR_TOKEN_RESPONSE_INVALID'
  /** No valid token could be had within the caller's wait budget. */
  | 'ERR_TOKEN_UNAVAILABLE';

export interface TokenErrorDetails {
  /** HTTP status of the token endpoint's answer, when there was one. */
  status?: number;
  /** The OAuth `error` field (RFC 6749 §5.2), e.g. `invalid_client`. */
  oauthError?: string;
  /** The OAuth `error_description`, shortened. */
  description?: string;
  /** How long the endpoint asked us to wait (Retry-After), in ms. */
  retryAfterMs?: number;
  cause?: unknown;
}

export class TokenError extends Error {
  override readonly name = 'TokenError';
  readonly code: TokenErrorCode;
  readonly status?: number;
  readonly oauthError?: string;
  readonly description?: string;
  readonly retryAfterMs?: number;

  constructor(code: TokenErrorCode, message: string, details: TokenErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status;
    this.oauthError = details.oauthError;
    this.description = details.description;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** A plain summary safe for logs and the admin API. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      status: this.status,
      oauthError: this.oauthError,
      description: this.description,
    };
  }
}

export function isTokenError(value: unknown): value is TokenError {
  return value instanceof TokenError;
}

/**
 * An answer that will not change by asking again at once (wrong secret, unknown client,
 * invalid scope): no quick retries, only the slower backoff between fetches. Timeouts (408)
 * and throttling (429) are not permanent.
 */
export function isPermanent(error: TokenError): boolean {
  const status = error.status ?? 0;

  return (
    error.code === 'ERR_TOKEN_ENDPOINT_STATUS' &&
    status >= 400 &&
    status < 500 &&
    status !== 408 &&
    status !== 429
  );
}
