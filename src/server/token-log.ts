/** Turns token events into log lines: what happened and when, never the token itself. */
import type { Logger } from '../log/logger.ts';
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
