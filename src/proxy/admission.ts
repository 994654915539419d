/**
 * What is refused before any token is fetched or any upstream is called: targets outside the
 * proxy routes or escaping a base path, unknown servers, methods that would echo the token
 * back, and transfer codings that would be dropped on the way.
 */
import type { IncomingMessage } from 'node:http';
import type { Upstream } from '../server/upstream.ts';
import { hasUnsupportedTransferCoding } from './body.ts';
import type { ErrorReply } from './replies.ts';
import { parseProxyTarget, type ProxyRoute } from './route.ts';

export type Admission =
  | { ok: true; upstream: Upstream; route: ProxyRoute }
  | { ok: false; reply: ErrorReply; path: string };

/** TRACE asks the upstream to echo the request back, injected token included. */
const REFUSED_METHODS = new Set(['TRACE', 'TRACK']);

export function admit(
  req: IncomingMessage,
  target: string,
  upstreams: ReadonlyMap<string, Upstream>,
): Admission {
  const path = target.split('?')[0] ?? '';
  const route = parseProxyTarget(target);
  if (route.kind === 'bad-request') return refuse(path, 400, 'bad_request', route.reason);
  if (route.kind === 'not-proxy')
    return refuse(path, 404, 'not_found', 'not a proxy or admin route');

  const upstream = upstreams.get(route.server);
  if (!upstream) {
    const message = `no server named "${route.server}" is configured`;

    return refuse(`/${route.rest}`, 404, 'unknown_server', message, route.server);
  }

  if (REFUSED_METHODS.has(req.method ?? '')) {
    return refuse(
      `/${route.rest}`,
      405,
      'method_not_allowed',
      `${req.method} is not proxied`,
      route.server,
    );
  }

  if (hasUnsupportedTransferCoding(req)) {
    const message = 'only chunked transfer coding is supported';

    return refuse(`/${route.rest}`, 501, 'transfer_coding_not_supported', message, route.server);
  }

  return { ok: true, upstream, route };
}

function refuse(
  path: string,
  status: number,
  error: string,
  message: string,
  server?: string,
): Admission {
  return { ok: false, path, reply: { status, error, message, server } };
}
