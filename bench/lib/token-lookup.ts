/**
 * What a request pays for its token when one is cached: the product's own TokenSource, warm,
 * asked over and over in this process. An empty awaited promise is timed the same way, as the
 * floor any `await` costs.
 */
import { AccessToken, tokenTimes } from '../../src/tokens/access-token.ts';
import { TokenSource } from '../../src/tokens/token-source.ts';
import { systemClock } from '../../src/util/clock.ts';

const HOUR_MS = 3600_000;

/** A source holding a token valid for an hour, so no call in the loop can fetch. */
export async function warmTokenSource(): Promise<TokenSource> {
  const source = new TokenSource({
    clock: systemClock,
    waitBudgetMs: 1000,
    fetchToken: (seq) => {
      const now = Date.now();
      const times = tokenTimes(now, now + HOUR_MS, 300_000, 'expires_in');

      return Promise.resolve(new AccessToken('bench-token', times, seq));
    },
  });
  await source.getToken();

  return source;
}

/** Nanoseconds per awaited `getToken()` over `calls` calls. */
export async function timeLookups(source: TokenSource, calls: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await source.getToken();

  return Number(process.hrtime.bigint() - started) / calls;
}

/** Nanoseconds per `await Promise.resolve()` over `calls` iterations. */
export async function timeEmptyAwaits(calls: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await Promise.resolve();

  return Number(process.hrtime.bigint() - started) / calls;
}
