/**
 * Forwards one client request to its upstream with a bearer token, and deals with what can go
 * wrong: no token (503), upstream refused the token (401: purge, and retry once when the
 * request can be sent again), upstream unreachable (502) or silent (504).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Upstream } from '../server/upstream.ts';
import type { AccessToken } from '../tokens/access-token.ts';
import { TokenError } from '../tokens/errors.ts';
import { UpstreamExchange, type ExchangeResult } from './exchange.ts';
import { hasBody, upstreamBody } from './body.ts';
import { parseBearerChallenge, type Refusal } from './challenge.ts';
import { upstreamRequestHeaders } from './headers.ts';
import { sendError } from './replies.ts';
import { classifyUpstreamError, describeUpstreamError } from './upstream-errors.ts';

export interface ForwardRecord {
  /** What the client got; 499 when it left before an answer, as nginx logs it. */
  status: number;
  bytesIn: number;
  bytesOut: number;
  /** Machine-readable reason when the service answered instead of the upstream. */
  error?: string;
  detail?: string;
  /** Why the upstream refused the token (401) or the request (403), from its challenge. */
  refusal?: Refusal;
  retried: boolean;
}

export async function forward(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: Upstream,
  target: { rest: string; query: string },
): Promise<ForwardRecord> {
  const replayable = !hasBody(req);
  const path = `${upstream.basePath}${target.rest}${target.query}`;

  // The usual case, a cached token, is taken without a round through the microtask queue.
  let token = upstream.tokens.peek() ?? (await tokenOrReply(res, upstream));
  if (!token) return tokenFailureRecord(res);

  let result = await send(req, res, upstream, path, token, replayable);
  let retried = false;
  if (result.outcome === 'retry') {
    upstream.tokens.invalidate(token);
    token = await tokenOrReply(res, upstream);
    if (!token) return tokenFailureRecord(res);

    result = await send(req, res, upstream, path, token, false);
    retried = true;
  } else if (result.status === 401) {
    // The body was streamed and cannot be sent again; the next request gets a fresh token.
    upstream.tokens.invalidate(token);
  }

  return recordOf(res, upstream, result, retried);
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: Upstream,
  path: string,
  token: AccessToken,
  retryOn401: boolean,
): Promise<ExchangeResult> {
  const exchange = new UpstreamExchange(res, {
    retryOn401,
    uploadIdleMs: hasBody(req) ? upstream.config.upstreamIdleSeconds * 1000 : undefined,
  });
  upstream.pool.dispatch(
    {
      path,
      method: req.method ?? 'GET',
      headers: upstreamRequestHeaders(req.rawHeaders, token.header),
      body: upstreamBody(req),
    },
    exchange,
  );

  return exchange.done;
}

async function tokenOrReply(
  res: ServerResponse,
  upstream: Upstream,
): Promise<AccessToken | undefined> {
  try {
    return await upstream.tokens.getToken();
  } catch (error) {
    const retryAfterMs = error instanceof TokenError ? error.retryAfterMs : undefined;
    sendError(res, {
      status: 503,
      error: 'token_unavailable',
      message: `no access token for server "${upstream.name}"; see the service log`,
      server: upstream.name,
      retryAfterSeconds: (retryAfterMs ?? 5000) / 1000,
    });

    return undefined;
  }
}

function tokenFailureRecord(res: ServerResponse): ForwardRecord {
  return {
    status: res.headersSent ? 503 : 499,
    bytesIn: 0,
    bytesOut: 0,
    error: 'token_unavailable',
    retried: false,
  };
}

function recordOf(
  res: ServerResponse,
  upstream: Upstream,
  result: ExchangeResult,
  retried: boolean,
): ForwardRecord {
  const base = { bytesIn: result.bytesIn, bytesOut: result.bytesOut, retried };
  if (result.outcome !== 'failed') {
    const refused = result.status === 401 || result.status === 403;
    const refusal = refused ? parseBearerChallenge(result.challenge) : undefined;
    if (refusal) upstream.noteRefusal(result.status, refusal);

    return { ...base, status: result.status, refusal };
  }

  const detail = describeUpstreamError(result.error);
  const failure = classifyUpstreamError(result.error);
  if (failure === 'client_gone' || res.headersSent) {
    // Too late for a status: the client either left or saw the connection break mid-body.
    const status = res.headersSent ? result.status : 499;

    return {
      ...base,
      status,
      error: failure === 'client_gone' ? 'client_gone' : 'upstream_broke',
      detail,
    };
  }

  const reply = FAILURE_REPLIES[failure];
  sendError(res, {
    status: reply.status,
    error: reply.error,
    message: `${reply.what} (server "${upstream.name}"): ${detail}`,
    server: upstream.name,
  });

  return { ...base, status: reply.status, error: reply.error, detail };
}

const FAILURE_REPLIES = {
  timeout: { status: 504, error: 'upstream_timeout', what: 'the upstream did not answer in time' },
  unreachable: { status: 502, error: 'upstream_unreachable', what: 'the upstream failed' },
  client_stalled: { status: 408, error: 'request_body_stalled', what: 'the request body stalled' },
} as const;
