/**
 * Reads the `error` and `error_description` of a Bearer challenge (RFC 6750 §3), which is how
 * an upstream says why it refused a token ("The audience is invalid", "Invalid token issuer").
 * They carry no secret, so they may be logged and shown in the admin API.
 */

export interface Refusal {
  error?: string;
  description?: string;
}

// The lookbehind makes a name start only where a word starts, so a long run of letters is
// scanned once rather than once per position.
const PARAM = /(?<![A-Za-z_])([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
const MAX_CHARS = 300;
/** Real challenges are a few hundred bytes; the rest of a longer header is not read. */
const MAX_HEADER_CHARS = 4096;

export function parseBearerChallenge(header: string | undefined): Refusal {
  if (header === undefined) return {};

  const params = new Map<string, string>();
  for (const match of header.slice(0, MAX_HEADER_CHARS).matchAll(PARAM)) {
    const name = (match[1] ?? '').toLowerCase();
    const value = match[2]?.replace(/\\(.)/g, '$1') ?? match[3] ?? '';
    if (!params.has(name)) params.set(name, value.slice(0, MAX_CHARS));
  }

  return { error: params.get('error'), description: params.get('error_description') };
}
