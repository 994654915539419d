import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccessToken, tokenTimes } from '../../../src/tokens/access-token.ts';
import { TokenError } from '../../../src/tokens/errors.ts';
import { TokenSource, type FetchToken } from '../../../src/tokens/token-source.ts';
import { FakeClock, settle } from '../../helpers/fake-clock.ts';

const LIFETIME_MS = 600_000;
const BUFFER_MS = 120_000;

/** A token endpoint under the test's control: each call waits until the test answers it. */
class ScriptedEndpoint {
  calls: { seq: number; answer: (outcome: string | Error) => void }[] = [];

  readonly clock: FakeClock;

  constructor(clock: FakeClock) {
    this.clock = clock;
  }

  readonly fetch: FetchToken = (seq) =>
    new Promise((resolve, reject) => {
      const sentAt = this.clock.now();
      this.calls.push({
        seq,
        answer: (outcome) => {
          if (outcome instanceof Error) return reject(outcome);
          const times = tokenTimes(sentAt, sentAt + LIFETIME_MS, BUFFER_MS, 'expires_in');
          resolve(new AccessToken(outcome, times, seq));
        },
      });
    });

  last() {
    const call = this.calls.at(-1);
    assert.ok(call, 'no token request was made');
    return call;
  }
}

function setup(waitBudgetMs = 10_000) {
  const clock = new FakeClock();
  const endpoint = new ScriptedEndpoint(clock);
  const source = new TokenSource({
    fetchToken: endpoint.fetch,
    clock,
    waitBudgetMs,
    attemptsPerFetch: 3,
    backoff: { baseMs: 1000, maxMs: 8000 },
    random: () => 1,
  });
  return { clock, endpoint, source };
}

/** Asks for the first token and has the endpoint answer `value`. */
async function firstToken(source: TokenSource, endpoint: ScriptedEndpoint, value: string) {
  const first = source.getToken();
  await settle();
  endpoint.last().answer(value);
  return first;
}

const failure = (status = 503) =>
  new TokenError('ERR_TOKEN_ENDPOINT_STATUS', `HTTP ${status}`, { status });

describe('TokenSource', () => {
  it('shares one fetch between all callers that arrive while it runs', async () => {
    const { endpoint, source } = setup();
    const waiting = Array.from({ length: 1000 }, () => source.getToken());
    await settle();
    endpoint.last().answer('tok-1');

    const tokens = await Promise.all(waiting);
    assert.equal(endpoint.calls.length, 1);
    assert.ok(tokens.every((t) => t.value === 'tok-1'));
  });

  it('returns a cached token without calling the endpoint', async () => {
    const { endpoint, source, clock } = setup();
    await firstToken(source, endpoint, 'tok-1');

    await clock.advance(LIFETIME_MS - BUFFER_MS - 1);
    assert.equal((await source.getToken()).value, 'tok-1');
    assert.equal(endpoint.calls.length, 1);
  });

  it('refreshes in the background: callers in the refresh window get the old token at once', async () => {
    const { endpoint, source, clock } = setup();
    await firstToken(source, endpoint, 'tok-1');

    await clock.advance(LIFETIME_MS - BUFFER_MS);
    assert.equal((await source.getToken()).value, 'tok-1');
    assert.equal((await source.getToken()).value, 'tok-1');
    assert.equal(endpoint.calls.length, 2, 'exactly one refresh starts');

    endpoint.last().answer('tok-2');
    await settle();
    assert.equal((await source.getToken()).value, 'tok-2');
  });

  it('retries a failing endpoint with growing delays while the old token is still used', async () => {
    const { endpoint, source, clock } = setup();
    await firstToken(source, endpoint, 'tok-1');
    await clock.advance(LIFETIME_MS - BUFFER_MS);
    void source.getToken();
    await settle();

    endpoint.last().answer(failure());
    await settle();
    assert.equal((await source.getToken()).value, 'tok-1');
    await clock.advance(999);
    assert.equal(endpoint.calls.length, 2, 'no retry before the first delay');
    await clock.advance(1);
    assert.equal(endpoint.calls.length, 3);

    endpoint.last().answer(failure());
    await clock.advance(1999);
    assert.equal(endpoint.calls.length, 3, 'the second delay is longer');
    await clock.advance(1);
    assert.equal(endpoint.calls.length, 4);
    endpoint.last().answer('tok-2');
    await settle();
    assert.equal((await source.getToken()).value, 'tok-2');
    assert.equal(source.status().consecutiveFailures, 0);
  });

  it('never hands out an expired token: callers wait, then get ERR_TOKEN_UNAVAILABLE', async () => {
    const { endpoint, source, clock } = setup(5_000);
    await firstToken(source, endpoint, 'tok-1');

    await clock.advance(LIFETIME_MS);
    const waiting = source.getToken();
    const outcome = waiting.then(
      () => 'token',
      (e: unknown) => e,
    );
    await clock.advance(5_000);
    const error = await outcome;
    assert.ok(error instanceof TokenError);
    assert.equal(error.code, 'ERR_TOKEN_UNAVAILABLE');
    assert.ok((error.retryAfterMs ?? 0) >= 1000);
  });

  it('answers at once, with a Retry-After, while backing off after a failed fetch', async () => {
    const { endpoint, source, clock } = setup();
    const first = source.getToken().catch((e: unknown) => e);
    for (let i = 0; i < 3; i++) {
      await settle();
      endpoint.last().answer(failure(500));
      if (i < 2) await clock.advance(1000 * 2 ** i);
    }
    const error = await first;
    assert.ok(error instanceof TokenError);
    assert.equal(error.code, 'ERR_TOKEN_UNAVAILABLE');
    assert.equal(endpoint.calls.length, 3);

    const again = await source.getToken().catch((e: unknown) => e);
    assert.ok(again instanceof TokenError);
    assert.equal(endpoint.calls.length, 3, 'no request to the endpoint during the backoff');
    assert.equal(source.status().lastError?.code, 'ERR_TOKEN_ENDPOINT_STATUS');
  });

  it('does not retry a permanent refusal within a fetch, only after the backoff', async () => {
    const { endpoint, source, clock } = setup();
    const waiting = source.getToken().catch((e: unknown) => e);
    await settle();
    endpoint.last().answer(failure(401));

    const error = await waiting;
    assert.ok(error instanceof TokenError);
    assert.equal(error.code, 'ERR_TOKEN_UNAVAILABLE');
    await clock.advance(999);
    assert.equal(endpoint.calls.length, 1);
    await clock.advance(1);
    void source.getToken().catch(() => undefined);
    await settle();
    assert.equal(endpoint.calls.length, 2, 'a new fetch once the backoff has passed');
  });

  it('honours a Retry-After longer than its own backoff', async () => {
    const { endpoint, source, clock } = setup(60_000);
    const waiting = source.getToken();
    await settle();
    const throttled = new TokenError('ERR_TOKEN_ENDPOINT_STATUS', 'HTTP 429', {
      status: 429,
      retryAfterMs: 20_000,
    });
    endpoint.last().answer(throttled);
    await clock.advance(19_999);
    assert.equal(endpoint.calls.length, 1);
    await clock.advance(1);
    endpoint.last().answer('tok-1');
    assert.equal((await waiting).value, 'tok-1');
  });

  it('purges a token the upstream refused once, however many requests report it', async () => {
    const { endpoint, source } = setup();
    const refused = await firstToken(source, endpoint, 'tok-1');

    for (let i = 0; i < 10; i++) source.invalidate(refused);
    const waiting = Array.from({ length: 10 }, () => source.getToken());
    await settle();
    assert.equal(endpoint.calls.length, 2);
    endpoint.last().answer('tok-2');
    for (const token of await Promise.all(waiting)) assert.equal(token.value, 'tok-2');

    source.invalidate(refused);
    assert.equal((await source.getToken()).value, 'tok-2', 'a stale report drops nothing');
  });

  it('never lets an older fetch overwrite a newer token', async () => {
    const { endpoint, source } = setup();
    const stale = source.getToken().catch((e: unknown) => e);
    await settle();
    const old = endpoint.last();

    source.reset();
    const fresh = source.getToken();
    await settle();
    endpoint.last().answer('tok-new');
    assert.equal((await fresh).value, 'tok-new');

    old.answer('tok-old');
    await stale;
    assert.equal((await source.getToken()).value, 'tok-new');
  });

  it('reports its state without the token value', async () => {
    const { endpoint, source } = setup();
    await firstToken(source, endpoint, 'tok-status-secret');

    const status = source.status();
    assert.equal(status.cached, true);
    assert.equal(status.expirySource, 'expires_in');
    assert.doesNotMatch(JSON.stringify(status), /tok-status-secret/);
  });
});
