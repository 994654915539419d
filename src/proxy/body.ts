/** The client's request body: whether there is one, how it goes upstream, how it ends. */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { RequestBody } from './request-body.ts';

/** A request carries a body when it says so (RFC 9112 §6.3); GET, HEAD, DELETE rarely do. */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];

  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Only plain chunked framing is relayed: a coding we would drop silently is refused. */
export function hasUnsupportedTransferCoding(req: IncomingMessage): boolean {
  const coding = req.headers['transfer-encoding'];

  return coding !== undefined && coding.trim().toLowerCase() !== 'chunked';
}

/** What undici sends upstream: nothing, or the client's body through a RequestBody. */
export function upstreamBody(req: IncomingMessage): Readable | null {
  return hasBody(req) ? new RequestBody(req) : null;
}

/** How long a client may go on sending a body nobody will read before it is cut off. */
export const LINGER_MS = 30_000;

/**
 * After an answer that did not need the whole body (an early 401, a 503), reads and discards
 * the rest for a while, as nginx's lingering close does: closing at once would make the kernel
 * reset the connection, and a client that reads only after writing would lose the answer.
 */
export function drainUnreadBody(req: IncomingMessage, lingerMs = LINGER_MS): void {
  if (!hasBody(req) || req.complete || req.destroyed) return;

  const timer = setTimeout(() => req.destroy(), lingerMs);
  timer.unref();
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
  req.resume();
}
