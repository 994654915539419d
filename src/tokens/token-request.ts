/** Builds the client-credentials token request (RFC 6749 §4.4). */
import type { ClientAuthMethod } from '../config/types.ts';

export interface ClientCredentials {
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  clientAuthMethod: ClientAuthMethod;
  scope?: string;
}

export interface TokenRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export function buildTokenRequest(creds: ClientCredentials): TokenRequest {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (creds.scope !== undefined) form.set('scope', creds.scope);

  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };

  // RFC 6749 forbids using more than one method, so the secret goes in exactly one place.
  if (creds.clientAuthMethod === 'client_secret_basic') {
    headers['authorization'] = basicCredentials(creds.clientId, creds.clientSecret);
  } else {
    form.set('client_id', creds.clientId);
    form.set('client_secret', creds.clientSecret);
  }

  return { url: creds.tokenEndpoint, headers, body: form.toString() };
}

/**
 * RFC 6749 §2.3.1: id and secret are form-urlencoded before base64, so secrets holding `:`,
 * `+` or `%` reach the server intact.
 */
function basicCredentials(id: string, secret: string): string {
  const pair = `${formUrlEncode(id)}:${formUrlEncode(secret)}`;

  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

function formUrlEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}
