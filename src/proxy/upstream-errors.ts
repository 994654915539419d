/** Maps a failure of the upstream exchange to what the client is told. */
import { errors } from 'undici';

export type UpstreamFailure = 'timeout' | 'unreachable' | 'client_gone' | 'client_stalled';

const TIMEOUTS = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
  readonly code = 'ERR_CLIENT_GONE';

  constructor() {
    super('the client closed the connection before the exchange finished');
  }
}

export class UploadStalledError extends Error {
  override readonly name = 'UploadStalledError';
  readonly code = 'ERR_UPLOAD_STALLED';

  constructor() {
    super('the request body stopped arriving');
  }
}

export function classifyUpstreamError(error: unknown): UpstreamFailure {
  if (error instanceof ClientGoneError) return 'client_gone';
  if (error instanceof UploadStalledError) return 'client_stalled';
  if (error instanceof errors.UndiciError && TIMEOUTS.has(error.code)) return 'timeout';

  return 'unreachable';
}

/** A short description for logs and the JSON reply: code and message, never headers. */
export function describeUpstreamError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);

  const inner = error.cause instanceof Error ? error.cause : undefined;
  const source = (inner ?? error) as Error & { code?: unknown };
  const code = typeof source.code === 'string' ? `${source.code}: ` : '';

  return `${code}${source.message}`;
}
