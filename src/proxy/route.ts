/**
 * Reads a request target of the form `/oauth-dicom-web/servers/<name>/<rest>?<query>`.
 * The upstream is fixed by configuration, so the only job here is to make sure `<rest>` can
 * never climb out of the configured base path: no `..` or `.` segments, raw or percent-encoded,
 * no encoded slashes or backslashes, and no absolute-form targets.
 */

export const PROXY_PREFIX = '/oauth-dicom-web/servers/';

export interface ProxyRoute {
  kind: 'proxy';
  server: string;
  rest: string;
  query: string;
}

export type RouteResult =
  ProxyRoute | { kind: 'not-proxy' } | { kind: 'bad-request'; reason: string };

/**
 * Percent-encodings that would change the path's structure once an upstream decodes them,
 * once or twice (`%252e` is `%2e` after one decoding).
 */
const STRUCTURAL_ESCAPES = /%(2f|5c|00)|%25(2e|2f|5c|00)/i;

export function parseProxyTarget(target: string): RouteResult {
  if (!target.startsWith('/')) {
    return { kind: 'bad-request', reason: 'request target must be a path (origin-form)' };
  }

  if (target.includes('#')) return { kind: 'bad-request', reason: 'fragment in request target' };

  const q = target.indexOf('?');
  const path = q === -1 ? target : target.slice(0, q);
  const query = q === -1 ? '' : target.slice(q);
  if (!path.startsWith(PROXY_PREFIX)) return { kind: 'not-proxy' };

  const afterPrefix = path.slice(PROXY_PREFIX.length);
  const slash = afterPrefix.indexOf('/');
  const rawName = slash === -1 ? afterPrefix : afterPrefix.slice(0, slash);
  const rest = slash === -1 ? '' : afterPrefix.slice(slash + 1);
  const server = decodeSegment(rawName);
  if (server === undefined || server === '') {
    return { kind: 'bad-request', reason: 'server name is missing or badly encoded' };
  }

  const problem = restProblem(rest);
  if (problem) return { kind: 'bad-request', reason: problem };

  return { kind: 'proxy', server, rest, query };
}

function restProblem(rest: string): string | undefined {
  if (rest.includes('\\')) return 'backslash in path';
  if (STRUCTURAL_ESCAPES.test(rest)) return 'encoded slash, backslash or NUL in path';

  // Only a path holding a dot or an escape can hide a dot segment; most DICOMweb paths
  // (UIDs aside) are checked in one pass.
  if (!rest.includes('%') && !/(^|\/)\.\.?(;|\/|$)/.test(rest)) return undefined;

  for (const segment of rest.split('/')) {
    const decoded = decodeSegment(segment);
    if (decoded === undefined) return 'badly percent-encoded path';
    // Servlet containers read `..;param` as `..`, so the part before `;` counts.
    const bare = decoded.split(';')[0];
    if (bare === '.' || bare === '..') return 'dot segment in path';
  }

  return undefined;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
