/**
 * Which headers cross the proxy. Everything end-to-end passes untouched (Content-Type with its
 * multipart parameters, Accept, Content-Length, ...); hop-by-hop headers stop here (RFC 9110
 * §7.6.1), and so do the client's own credentials: the only Authorization that goes upstream is
 * the injected token.
 */
import type { IncomingHttpHeaders } from 'node:http';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

/** Never forwarded upstream: set by us, or the client's credentials for the proxy. */
const REQUEST_DROP = new Set([
  'host',
  'authorization',
  'proxy-authorization',
  // Node answers `100 Continue` to the client itself; undici cannot send Expect over HTTP/1.1.
  'expect',
]);

/**
 * Builds upstream request headers from the raw list (names keep their case and order,
 * repeated headers stay repeated), adding the bearer token.
 */
export function upstreamRequestHeaders(rawHeaders: string[], authorization: string): string[] {
  const out: string[] = [];
  const named = connectionTokens(rawHeaders);
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || REQUEST_DROP.has(lower) || named.has(lower)) continue;

    out.push(name, rawHeaders[i + 1] as string);
  }

  out.push('authorization', authorization);

  return out;
}

/** Response headers for the client: the upstream's, less hop-by-hop ones. */
export function clientResponseHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const named = new Set(splitTokens(headers['connection']));
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name)) continue;

    out[name] = value;
  }

  return out;
}

/** Headers named in `Connection` are hop-by-hop too. */
function connectionTokens(rawHeaders: string[]): Set<string> {
  const names = new Set<string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if ((rawHeaders[i] as string).toLowerCase() !== 'connection') continue;

    for (const token of splitTokens(rawHeaders[i + 1])) names.add(token);
  }

  return names;
}

/** The usual `Connection` values name no other header: no need to split them. */
const PLAIN_CONNECTION = /^\s*(?:keep-alive|close)\s*$/i;
const NO_TOKENS: string[] = [];

function splitTokens(value: string | string[] | undefined): string[] {
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  if (text === '' || PLAIN_CONNECTION.test(text)) return NO_TOKENS;

  return text
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
}
