/** A bearer token and the times that govern its use. */

export type ExpirySource = 'expires_in' | 'jwt_exp' | 'default';

export interface TokenTimes {
  /** When the request that produced the token was sent (ms since epoch). */
  obtainedAt: number;
  /** When the token stops being valid, by our conservative reckoning. */
  expiresAt: number;
  /** From this moment a background refresh is started. */
  refreshAt: number;
  /** The last moment the token is still sent; after it, requests wait for a new one. */
  usableUntil: number;
  expirySource: ExpirySource;
}

/**
 * The token value lives in a private field: it is not enumerable, so logging or serialising an
 * AccessToken (by accident, in an error, in a status route) cannot reveal it.
 */
export class AccessToken {
  readonly #value: string;
  readonly times: TokenTimes;
  /** Number of the fetch that produced it; a higher number is a newer token. */
  readonly seq: number;

  constructor(value: string, times: TokenTimes, seq: number) {
    this.#value = value;
    this.times = times;
    this.seq = seq;
  }

  get value(): string {
    return this.#value;
  }

  /** The `Authorization` header value. */
  get header(): string {
    return `Bearer ${this.#value}`;
  }

  toJSON(): Record<string, unknown> {
    return { seq: this.seq, ...this.times };
  }
}

/** Never cache longer than this, whatever the endpoint claims. */
export const MAX_LIFETIME_MS = 24 * 3600_000;
/** Used when neither `expires_in` nor a JWT `exp` says how long a token lives. */
export const DEFAULT_LIFETIME_MS = 300_000;
/** Stop sending a token this long before it expires, at most, to allow for transit and skew. */
const MAX_SAFETY_MARGIN_MS = 30_000;

/**
 * Works out refresh and usability times. The refresh buffer is capped at half the lifetime,
 * so a short-lived token (Keycloak's default is 300 s) is not refreshed on every request.
 */
export function tokenTimes(
  obtainedAt: number,
  expiresAt: number,
  refreshBufferMs: number,
  expirySource: ExpirySource,
): TokenTimes {
  const lifetime = Math.max(0, expiresAt - obtainedAt);
  const buffer = Math.min(refreshBufferMs, lifetime / 2);
  const margin = Math.min(MAX_SAFETY_MARGIN_MS, lifetime / 10);

  return {
    obtainedAt,
    expiresAt,
    refreshAt: expiresAt - buffer,
    usableUntil: expiresAt - margin,
    expirySource,
  };
}
