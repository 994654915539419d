/**
 * Takes a configured secret out of an error that a token endpoint's words went into. Some
 * endpoints quote what they were sent ("invalid client secret 's3cr3t'"); logging the error
 * must not repeat it.
 */
import { TokenError } from './errors.ts';

const MASK = '[redacted]';

export function scrubSecret(error: TokenError, secret: string): TokenError {
  const forms = secretForms(secret);
  const clean = (text: string | undefined): string | undefined =>
    text === undefined ? undefined : forms.reduce((t, form) => t.split(form).join(MASK), text);
  const fields = [error.message, error.description, error.oauthError];
  if (!fields.some((text) => text !== undefined && forms.some((form) => text.includes(form)))) {
    return error;
  }

  return new TokenError(error.code, clean(error.message) ?? '', {
    status: error.status,
    oauthError: clean(error.oauthError),
    description: clean(error.description),
    retryAfterMs: error.retryAfterMs,
  });
}

/** The secret as sent: plain, percent-encoded, and form-encoded. */
function secretForms(secret: string): string[] {
  const encoded = encodeURIComponent(secret);
  const forms = new Set([secret, encoded, encoded.replace(/%20/g, '+')]);

  return [...forms].filter((form) => form.length >= 4);
}
