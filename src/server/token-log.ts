/** Turns token events into log lines: what happened and when, never the token itself. */
import type { Logger } from '../log/logger.ts';
import type { Refusal } from '../proxy/challenge.ts';
import type { Upstream } from './upstream.ts';

export function logTokenEvents(upstream: Upstream, log: Logger): void {
  const server = upstream.name;
  upstream.tokens.on('token', (token, info) => {
    log.info(
      {
        server,
        expiresAt: new Date(token.times.expiresAt).toISOString(),
        expirySource: token.times.expirySource,
        attempts: info.attempts,
        background: info.background,
      },
      'token acquired',
    );
  });
  upstream.tokens.on('failure', (error, info) => {
    log.warn(
      {
        server,
        code: error.code,
        status: error.status,
        oauthError: error.oauthError,
        description: error.description,
        attempt: info.attempt,
        retryInMs: info.retryInMs === undefined ? undefined : Math.round(info.retryInMs),
      },
      `token request failed: ${error.message}`,
    );
  });
}

/**
 * A 401 that survived a fresh token usually means the token is for the wrong audience or
 * issuer; a 403 means it was accepted but lacks a role or scope. Say so where people look.
 */
export function logRefusal(log: Logger, server: string, status: number, refusal: Refusal): void {
  const hint =
    status === 401
      ? 'the upstream refused the token; if fresh tokens are refused too, check Scope (audience) and issuer'
      : 'the upstream accepted the token but refused the request: check the role or scope granted';
  log.warn({ server, status, error: refusal.error, description: refusal.description }, hint);
}
