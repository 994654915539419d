/** The service's own answers: a real status and a small JSON body, never a 200 with an error. */
import type { ServerResponse } from 'node:http';

export interface ErrorReply {
  status: number;
  /** Stable, machine-readable: `unknown_server`, `token_unavailable`, ... */
  error: string;
  message: string;
  server?: string;
  retryAfterSeconds?: number;
}

export function sendError(res: ServerResponse, reply: ErrorReply): void {
  const body = JSON.stringify({ error: reply.error, message: reply.message, server: reply.server });
  sendJson(res, reply.status, body, retryAfter(reply.retryAfterSeconds));
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: string,
  extraHeaders: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }

  res.statusMessage = '';
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...extraHeaders,
  });
  res.end(body);
}

function retryAfter(seconds: number | undefined): Record<string, string> {
  return seconds === undefined ? {} : { 'retry-after': String(Math.max(1, Math.ceil(seconds))) };
}
