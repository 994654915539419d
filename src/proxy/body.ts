import type { IncomingMessage } from 'node:http';

/** A request carries a body when it says so (RFC 9112 §6.3); GET, HEAD, DELETE rarely do. */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];

  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
