import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenError } from '../../../src/tokens/errors.ts';
import {
  processTokenResponse,
  type TokenHttpResponse,
} from '../../../src/tokens/token-response.ts';

const SENT_AT = Date.UTC(2026, 11, 4, 12, 0, 0);
const opts = { sentAt: SENT_AT, refreshBufferMs: 300_000, seq: 1 };
const json = { 'content-type': 'application/json' };

function answer(status: number, body: unknown, headers = json): TokenHttpResponse {
  return { status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof TokenError);
    return error.code;
  }
  assert.fail('expected a TokenError');
}

function fakeJwt(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none' })}.${part(claims)}.c2ln`;
}

describe('processTokenResponse', () => {
  it('takes the token and counts its lifetime from when the request was sent', () => {
    const token = processTokenResponse(
      answer(200, { access_token: 'tok-B', token_type: 'Bearer', expires_in: 3600 }),
      opts,
    );

    assert.equal(token.value, 'tok-B');
    assert.equal(token.header, 'Bearer tok-B');
    assert.equal(token.times.expiresAt, SENT_AT + 3600_000);
    assert.equal(token.times.refreshAt, SENT_AT + 3300_000);
    assert.equal(token.times.usableUntil, SENT_AT + 3570_000);
    assert.equal(token.times.expirySource, 'expires_in');
  });

  it('caps the refresh buffer at half the lifetime of a short token', () => {
    const token = processTokenResponse(answer(200, { access_token: 'k', expires_in: 300 }), opts);

    assert.equal(token.times.refreshAt, SENT_AT + 150_000);
  });

  it('accepts expires_in sent as a numeric string, as Azure v1 does', () => {
    const token = processTokenResponse(
      answer(200, { access_token: 'k', expires_in: '3599' }),
      opts,
    );

    assert.equal(token.times.expiresAt, SENT_AT + 3599_000);
  });

  it('falls back to the JWT exp when expires_in is missing or not a number', () => {
    const exp = SENT_AT / 1000 + 1200;
    for (const expiresIn of [undefined, 'soon', null, true]) {
      const body = { access_token: fakeJwt({ exp }), expires_in: expiresIn };
      const token = processTokenResponse(answer(200, body), opts);

      assert.equal(token.times.expiresAt, exp * 1000);
      assert.equal(token.times.expirySource, 'jwt_exp');
    }
  });

  it('refuses a token said to be expired or to last under a second', () => {
    for (const expiresIn of [0, -5, '0', 0.001]) {
      const body = { access_token: 'k', expires_in: expiresIn };
      assert.equal(
        codeOf(() => processTokenResponse(answer(200, body), opts)),
        'ERR_TOKEN_RESPONSE_INVALID',
      );
    }
  });

  it('falls back to a short default when neither expires_in nor a JWT exp is there', () => {
    const token = processTokenResponse(answer(200, { access_token: 'opaque' }), opts);

    assert.equal(token.times.expirySource, 'default');
    assert.equal(token.times.expiresAt, SENT_AT + 300_000);
  });

  it('never caches a token for more than a day, whatever expires_in says', () => {
    const token = processTokenResponse(answer(200, { access_token: 'k', expires_in: 1e9 }), opts);

    assert.equal(token.times.expiresAt, SENT_AT + 24 * 3600_000);
  });

  it('treats an empty 200 and an HTML 200 as invalid responses (gateway errors)', () => {
    assert.equal(
      codeOf(() => processTokenResponse(answer(200, ''), opts)),
      'ERR_TOKEN_RESPONSE_INVALID',
    );
    const html = answer(200, '<html>gateway error</html>', { 'content-type': 'text/html' });
    assert.equal(
      codeOf(() => processTokenResponse(html, opts)),
      'ERR_TOKEN_RESPONSE_INVALID',
    );
  });

  it('refuses an access_token that is not a string, missing, or not header-safe', () => {
    const bodies = [
      { access_token: { value: 'tok-E' }, expires_in: 3600 },
      { token_type: 'Bearer', expires_in: 3600 },
      { access_token: null },
      { access_token: '' },
      { access_token: 'two words' },
      { access_token: 'line\r\nX-Injected: 1' },
    ];
    for (const body of bodies) {
      assert.equal(
        codeOf(() => processTokenResponse(answer(200, body), opts)),
        'ERR_TOKEN_RESPONSE_INVALID',
      );
    }
  });

  it('refuses a token type other than Bearer, in any letter case', () => {
    const ok = processTokenResponse(answer(200, { access_token: 'k', token_type: 'bearer' }), opts);
    assert.equal(ok.value, 'k');
    const body = { access_token: 'k', token_type: 'mac' };
    assert.equal(
      codeOf(() => processTokenResponse(answer(200, body), opts)),
      'ERR_TOKEN_RESPONSE_INVALID',
    );
  });

  it('reads the OAuth error and Retry-After of a failed answer', () => {
    const res = answer(
      429,
      { error: 'temporarily_unavailable', error_description: 'slow\r\ndown' },
      { 'content-type': 'application/json', 'retry-after': '7' } as never,
    );
    try {
      processTokenResponse(res, opts);
      assert.fail('expected an error');
    } catch (error) {
      assert.ok(error instanceof TokenError);
      assert.equal(error.code, 'ERR_TOKEN_ENDPOINT_STATUS');
      assert.equal(error.status, 429);
      assert.equal(error.oauthError, 'temporarily_unavailable');
      assert.equal(error.description, 'slow down');
      assert.equal(error.retryAfterMs, 7000);
    }
  });

  it('keeps the token out of JSON and inspection of the token object', () => {
    const token = processTokenResponse(answer(200, { access_token: 'tok-secret-value' }), opts);

    assert.doesNotMatch(JSON.stringify(token), /tok-secret-value/);
    assert.doesNotMatch(JSON.stringify({ ...token }), /tok-secret-value/);
  });
});
