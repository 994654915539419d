/**
 * Read-only admin routes on the service's own listener. They describe servers and tokens by
 * their state and times; no route ever returns a secret or a token.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { safeUrlText } from '../config/urls.ts';
import { sendError, sendJson } from '../proxy/replies.ts';
import type { Upstream } from '../server/upstream.ts';

export const ADMIN_PREFIX = '/dicomweb-oauth/';

export interface AdminContext {
  upstreams: ReadonlyMap<string, Upstream>;
  startedAt: Date;
  version: string;
}

export function handleAdmin(req: IncomingMessage, res: ServerResponse, ctx: AdminContext): void {
  const path = (req.url ?? '').split('?')[0];
  // A Map, not an object literal: `__proto__` or `constructor` must not name a route.
  const route = ROUTES.get(path?.slice(ADMIN_PREFIX.length) ?? '');
  if (!route) {
    sendError(res, { status: 404, error: 'not_found', message: `no admin route ${path}` });
    return;
  }

  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    sendError(res, { status: 405, error: 'method_not_allowed', message: 'use GET' });
    return;
  }

  sendJson(res, 200, JSON.stringify(route(ctx), null, 2));
}

type Route = (ctx: AdminContext) => unknown;

const status: Route = (ctx) => ({
  status: 'serving',
  version: ctx.version,
  startedAt: ctx.startedAt.toISOString(),
  uptimeSeconds: Math.round((Date.now() - ctx.startedAt.getTime()) / 1000),
  servers: ctx.upstreams.size,
});

const servers: Route = (ctx) => ({
  servers: [...ctx.upstreams.values()].map((upstream) => ({
    name: upstream.name,
    url: upstream.config.url,
    tokenEndpoint: safeUrlText(upstream.config.tokenEndpoint),
    clientId: upstream.config.clientId,
    scope: upstream.config.scope,
    token: upstream.tokens.status(),
    lastRefusal: upstream.lastRefusal,
  })),
});

const ROUTES = new Map<string, Route>([
  ['status', status],
  ['servers', servers],
]);
