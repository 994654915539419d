/**
 * Checks a token endpoint's answer (RFC 6749 §5.1 and §5.2) and turns it into an AccessToken.
 * Kept apart from the sending, so every odd answer a provider gives can be tested with a plain
 * object and no network.
 */
import { decodeJwt } from 'jose';
import {
  AccessToken,
  DEFAULT_LIFETIME_MS,
  MAX_LIFETIME_MS,
  tokenTimes,
  type ExpirySource,
} from './access-token.ts';
import { TokenError } from './errors.ts';
import { parseRetryAfter } from './retry-after.ts';

export interface TokenHttpResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface ProcessOptions {
  /** When the request was sent: lifetimes count from here, never from receipt. */
  sentAt: number;
  refreshBufferMs: number;
  seq: number;
}

/** RFC 6750 §2.1 b64token: what may follow `Bearer ` in a header. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const MAX_DESCRIPTION_CHARS = 300;
const MIN_LIFETIME_SECONDS = 1;

export function processTokenResponse(res: TokenHttpResponse, opts: ProcessOptions): AccessToken {
  if (res.status < 200 || res.status > 299) {
    throw statusError(res, opts.sentAt);
  }

  const json = parseJsonObject(res);
  const value = json['access_token'];
  if (typeof value !== 'string' || value.length === 0) {
    throw invalid(`access_token is ${describe(value)}`, res.status);
  }

  if (!B64TOKEN.test(value)) {
    throw invalid('access_token holds characters not allowed in a bearer token', res.status);
  }

  const type = json['token_type'];
  if (type !== undefined && (typeof type !== 'string' || type.toLowerCase() !== 'bearer')) {
    throw invalid(`token_type is ${describe(type)}, expected "Bearer"`, res.status);
  }

  const { expiresAt, source } = expiry(json, value, opts.sentAt);
  const times = tokenTimes(opts.sentAt, expiresAt, opts.refreshBufferMs, source);

  return new AccessToken(value, times, opts.seq);
}

function statusError(res: TokenHttpResponse, now: number): TokenError {
  const fields = tryParseObject(res.body) ?? {};
  const oauthError = typeof fields['error'] === 'string' ? fields['error'] : undefined;
  const rawDescription = fields['error_description'];
  const description = typeof rawDescription === 'string' ? shorten(rawDescription) : undefined;
  const retryAfterMs = parseRetryAfter(header(res, 'retry-after'), now);
  const what = oauthError ? ` (${oauthError})` : '';

  return new TokenError(
    'ERR_TOKEN_ENDPOINT_STATUS',
    `token endpoint answered HTTP ${res.status}${what}`,
    { status: res.status, oauthError, description, retryAfterMs },
  );
}

function parseJsonObject(res: TokenHttpResponse): Record<string, unknown> {
  const type = header(res, 'content-type') ?? 'none';
  if (res.body.trim() === '') {
    throw invalid(`empty body (content-type ${type})`, res.status);
  }

  const json = tryParseObject(res.body);
  if (!json) {
    // The body is not echoed: a misbehaving endpoint could put anything in it.
    throw invalid(
      `body is not a JSON object (content-type ${type}, ${res.body.length} chars)`,
      res.status,
    );
  }

  return json;
}

/**
 * `expires_in` as a number or a numeric string (Azure v1 sends strings), then the JWT `exp`,
 * then a short default. The lifetime is capped so nothing is cached forever.
 */
function expiry(
  json: Record<string, unknown>,
  token: string,
  sentAt: number,
): { expiresAt: number; source: ExpirySource } {
  const seconds = numeric(json['expires_in']);
  if (seconds !== undefined) {
    // A token said to last under a second would be fetched again for every request.
    if (seconds < MIN_LIFETIME_SECONDS) {
      throw invalid(`expires_in is ${seconds}: the token is expired or too short-lived`, 200);
    }

    return { expiresAt: sentAt + Math.min(seconds * 1000, MAX_LIFETIME_MS), source: 'expires_in' };
  }

  const exp = jwtExp(token);
  if (exp !== undefined && exp > sentAt) {
    return { expiresAt: Math.min(exp, sentAt + MAX_LIFETIME_MS), source: 'jwt_exp' };
  }

  return { expiresAt: sentAt + DEFAULT_LIFETIME_MS, source: 'default' };
}

/** A number, or a string holding one (Azure v1); anything else counts as absent. */
function numeric(value: unknown): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;

  return Number.isFinite(n) ? n : undefined;
}

function jwtExp(token: string): number | undefined {
  try {
    const { exp } = decodeJwt(token);

    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function tryParseObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);

    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function header(res: TokenHttpResponse, name: string): string | undefined {
  const value = res.headers[name];

  return Array.isArray(value) ? value[0] : value;
}

function invalid(why: string, status: number): TokenError {
  return new TokenError('ERR_TOKEN_RESPONSE_INVALID', `unusable token response: ${why}`, {
    status,
  });
}

/** Names the kind of a value without quoting it: it might be a secret. */
function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';

  if (Array.isArray(value)) return 'an array';

  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();

  return oneLine.length > MAX_DESCRIPTION_CHARS
    ? `${oneLine.slice(0, MAX_DESCRIPTION_CHARS)}…`
    : oneLine;
}
