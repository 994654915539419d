/**
 * The token of one server: cached, refreshed ahead of expiry in the background, fetched once
 * however many requests ask at the same moment, and retried with backoff when the endpoint
 * fails. The source never logs; it emits events that the server layer logs.
 */
import { EventEmitter } from 'node:events';
import type { Clock } from '../util/clock.ts';
import type { AccessToken } from './access-token.ts';
import { backoffDelay, type BackoffOptions } from './backoff.ts';
import { isPermanent, TokenError } from './errors.ts';

/** One attempt at the token endpoint; `seq` numbers the fetch that asks. */
export type FetchToken = (seq: number, signal: AbortSignal) => Promise<AccessToken>;

export interface TokenSourceOptions {
  fetchToken: FetchToken;
  clock: Clock;
  /** Longest a caller waits for a token before it gets ERR_TOKEN_UNAVAILABLE. */
  waitBudgetMs: number;
  /** Attempts within one fetch before giving up until the backoff has passed. */
  attemptsPerFetch?: number;
  backoff?: BackoffOptions;
  random?: () => number;
}

export interface TokenSourceEvents {
  token: [token: AccessToken, info: { attempts: number; background: boolean }];
  failure: [error: TokenError, info: { attempt: number; retryInMs?: number }];
}

export interface TokenStatus {
  cached: boolean;
  expiresAt?: string;
  refreshAt?: string;
  expirySource?: string;
  fetching: boolean;
  consecutiveFailures: number;
  lastError?: { code: string; message: string; at: string; oauthError?: string };
}

interface Flight {
  seq: number;
  promise: Promise<AccessToken>;
  controller: AbortController;
}

const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };
/** Honour a Retry-After, but not one that would stall a server for longer than this. */
const MAX_RETRY_AFTER_MS = 300_000;

export class TokenSource extends EventEmitter<TokenSourceEvents> {
  readonly #opts: Required<TokenSourceOptions>;
  #current: AccessToken | undefined;
  #flight: Flight | undefined;
  #lastSeq = 0;
  #failures = 0;
  /** After a failed fetch, no new one starts before this time. */
  #notBefore = 0;
  #lastError: { error: TokenError; at: number } | undefined;

  constructor(opts: TokenSourceOptions) {
    super();
    this.#opts = {
      attemptsPerFetch: 3,
      backoff: DEFAULT_BACKOFF,
      random: Math.random,
      ...opts,
    };
  }

  /**
   * A token that is valid now. A cached one costs no I/O; in its refresh window it is still
   * returned while a background fetch runs. Without one, the caller joins the fetch.
   */
  getToken(): Promise<AccessToken> {
    const token = this.peek();

    return token ? Promise.resolve(token) : this.#waitForToken(this.#opts.clock.now());
  }

  /**
   * The cached token when it is usable now, without waiting (starting a background refresh
   * in its refresh window); undefined when the caller has to wait with `getToken()`.
   */
  peek(): AccessToken | undefined {
    const now = this.#opts.clock.now();
    const token = this.#current;
    if (!token || now >= token.times.usableUntil) return undefined;

    if (now >= token.times.refreshAt) this.#refreshInBackground(now);

    return token;
  }

  /**
   * Called when the upstream refused `rejected` (401). Drops it if it is still the cached one,
   * so many simultaneous 401s for one token cause one purge and one fetch.
   */
  invalidate(rejected: AccessToken): void {
    if (this.#current === rejected) this.#current = undefined;
  }

  /** Forgets everything, and makes any fetch still running unable to store its result. */
  reset(): void {
    this.#current = undefined;
    this.#flight?.controller.abort(new Error('token source reset'));
    this.#flight = undefined;
    this.#failures = 0;
    this.#notBefore = 0;
    this.#lastError = undefined;
  }

  status(): TokenStatus {
    const token = this.#current;
    const now = this.#opts.clock.now();
    const valid = token !== undefined && now < token.times.usableUntil;
    const last = this.#lastError;

    return {
      cached: valid,
      expiresAt: valid ? iso(token.times.expiresAt) : undefined,
      refreshAt: valid ? iso(token.times.refreshAt) : undefined,
      expirySource: valid ? token.times.expirySource : undefined,
      fetching: this.#flight !== undefined,
      consecutiveFailures: this.#failures,
      lastError: last && {
        code: last.error.code,
        message: last.error.message,
        oauthError: last.error.oauthError,
        at: iso(last.at),
      },
    };
  }

  #refreshInBackground(now: number): void {
    if (this.#flight || now < this.#notBefore) return;

    // Failures are recorded and emitted by the fetch itself; nobody awaits this one.
    this.#startFlight(true).promise.catch(() => undefined);
  }

  async #waitForToken(now: number): Promise<AccessToken> {
    if (!this.#flight && now < this.#notBefore) {
      throw this.#unavailable(this.#notBefore - now);
    }

    const flight = this.#flight ?? this.#startFlight(false);
    const budget = new AbortController();
    const timer = this.#opts.clock.sleep(this.#opts.waitBudgetMs, budget.signal).then(
      () => 'timeout' as const,
      () => 'cancelled' as const,
    );

    try {
      const winner = await Promise.race([flight.promise, timer]);
      if (winner === 'timeout' || winner === 'cancelled') {
        throw this.#unavailable(this.#opts.waitBudgetMs);
      }

      return winner;
    } catch (error) {
      if (error instanceof TokenError && error.code === 'ERR_TOKEN_UNAVAILABLE') throw error;

      throw this.#unavailable(Math.max(0, this.#notBefore - this.#opts.clock.now()), error);
    } finally {
      budget.abort();
    }
  }

  #startFlight(background: boolean): Flight {
    const seq = ++this.#lastSeq;
    const controller = new AbortController();
    const flight: Flight = { seq, controller, promise: Promise.resolve(undefined as never) };
    flight.promise = this.#fly(flight, background).finally(() => {
      if (this.#flight === flight) this.#flight = undefined;
    });
    this.#flight = flight;

    return flight;
  }

  async #fly(flight: Flight, background: boolean): Promise<AccessToken> {
    const { attemptsPerFetch, clock } = this.#opts;
    for (let attempt = 1; ; attempt++) {
      try {
        const token = await this.#opts.fetchToken(flight.seq, flight.controller.signal);

        return this.#store(flight, token, attempt, background);
      } catch (error) {
        const failure = asTokenError(error);
        const delay = this.#recordFailure(failure);
        const last =
          attempt >= attemptsPerFetch || isPermanent(failure) || flight.controller.signal.aborted;
        this.emit('failure', failure, { attempt, retryInMs: last ? undefined : delay });
        if (last) {
          this.#notBefore = clock.now() + delay;
          throw failure;
        }

        await clock.sleep(delay, flight.controller.signal);
      }
    }
  }

  #store(flight: Flight, token: AccessToken, attempts: number, background: boolean): AccessToken {
    if (flight.controller.signal.aborted) {
      throw new TokenError('ERR_TOKEN_UNAVAILABLE', 'token fetch was cancelled');
    }

    // An older fetch can never replace a newer token.
    if (!this.#current || token.seq > this.#current.seq) {
      this.#current = token;
      this.#failures = 0;
      this.#notBefore = 0;
      this.emit('token', token, { attempts, background });
    }

    return token;
  }

  #recordFailure(error: TokenError): number {
    this.#failures++;
    this.#lastError = { error, at: this.#opts.clock.now() };
    const delay = backoffDelay(this.#failures, this.#opts.backoff, this.#opts.random);
    const asked = Math.min(error.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS);

    return Math.max(delay, asked);
  }

  #unavailable(retryAfterMs: number, cause?: unknown): TokenError {
    const last = cause instanceof TokenError ? cause : this.#lastError?.error;
    const why = last ? `: ${last.message}` : '';

    return new TokenError('ERR_TOKEN_UNAVAILABLE', `no valid token available${why}`, {
      retryAfterMs: Math.max(1000, retryAfterMs),
      cause: last,
    });
  }
}

function asTokenError(error: unknown): TokenError {
  if (error instanceof TokenError) return error;

  const message = error instanceof Error ? error.message : String(error);

  return new TokenError('ERR_TOKEN_ENDPOINT_UNREACHABLE', `token fetch failed: ${message}`, {
    cause: error,
  });
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
