/** The client's request body: whether there is one, how it goes upstream, how it ends. */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

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

/**
 * The body as undici should read it: a stream of its own over the client's, for two reasons.
 * undici destroys the body it was given when the upstream answers before reading all of it;
 * the client's own stream must survive that, to be drained so the client gets the answer.
 * And given the client's stream after it has ended (a small chunked body, read while a token
 * was fetched), undici would send a Content-Length the client never sent.
 */
export function upstreamBody(req: IncomingMessage): Readable | null {
  if (!hasBody(req)) return null;

  return Readable.from(chunks(req), { objectMode: false });
}

async function* chunks(req: IncomingMessage): AsyncGenerator<Buffer> {
  for await (const chunk of req.iterator({ destroyOnReturn: false })) yield chunk as Buffer;
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
  // The iteration that fed the upstream may have left its listener: it would hold the stream.
  req.removeAllListeners('readable');
  req.resume();
}
