/** The rules for the two URLs of a server: the upstream DICOMweb base and the token endpoint. */

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

const IPV4_LOOPBACK = /^127\.[0-9]+\.[0-9]+\.[0-9]+$/;

/** An absolute http(s) URL with no credentials, query or fragment, its path ending in `/`. */
export function checkUpstreamUrl(text: string): UrlCheck {
  const url = URL.parse(text);
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return { ok: false, reason: 'must be an absolute http or https URL' };
  }

  const reason = credentialsQueryOrFragment(url, text, { allowQuery: false });
  if (reason !== undefined) return { ok: false, reason };

  // Request paths are appended to the base, so the base must end in a slash.
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return { ok: true, url };
}

/** https, or http to a loopback host only, so a client secret never crosses a network in clear. */
export function checkTokenEndpoint(text: string): UrlCheck {
  const url = URL.parse(text);
  const secure = url?.protocol === 'https:' || (url?.protocol === 'http:' && isLoopbackHost(url));
  if (url === null || !secure) {
    return { ok: false, reason: 'must be an https URL; http is allowed only for a loopback host' };
  }

  const reason = credentialsQueryOrFragment(url, text, { allowQuery: true });
  if (reason !== undefined) return { ok: false, reason };

  // Catches a template copied from documentation, such as .../{tenant}/oauth2/v2.0/token.
  if (/[{}]/.test(text)) return { ok: false, reason: 'must not contain a {placeholder}' };

  return { ok: true, url };
}

/** 127.0.0.0/8, ::1 or localhost, as the WHATWG URL parser normalises them. */
export function isLoopbackHost(url: URL): boolean {
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || IPV4_LOOPBACK.test(host);
}

/** The URL as messages may show it: no user info, query or fragment, which can hold secrets. */
export function safeUrlText(text: string): string {
  const cut = text.search(/[?#]/);
  const base = cut === -1 ? text : `${text.slice(0, cut + 1)}...`;

  return base.replace(/\/\/[^/]*@/, '//...@');
}

function credentialsQueryOrFragment(
  url: URL,
  text: string,
  rule: { allowQuery: boolean },
): string | undefined {
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password';
  if (!rule.allowQuery && text.includes('?')) return 'must not have a query string';
  if (text.includes('#')) return 'must not have a fragment (#...)';

  return undefined;
}
