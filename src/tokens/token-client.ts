/** Sends a token request and reads the answer, with a time limit and a size limit. */
import { errors, type Dispatcher } from 'undici';
import { TokenError } from './errors.ts';
import type { TokenRequest } from './token-request.ts';
import type { TokenHttpResponse } from './token-response.ts';

/** A token response is a few KB; anything far larger is not one. */
const MAX_BODY_BYTES = 256 * 1024;

export async function sendTokenRequest(
  dispatcher: Dispatcher,
  request: TokenRequest,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<TokenHttpResponse> {
  const url = new URL(request.url);
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;

  try {
    const res = await dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: combined,
    });
    const body = await readLimited(res.body);

    return { status: res.statusCode, headers: res.headers, body };
  } catch (error) {
    throw transportError(error, timeout.aborted, timeoutMs);
  }
}

async function readLimited(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new TokenError(
        'ERR_TOKEN_RESPONSE_INVALID',
        `unusable token response: body larger than ${MAX_BODY_BYTES} bytes`,
      );
    }

    chunks.push(chunk);
  }

  return Buffer.concat(chunks).toString('utf8');
}

function transportError(error: unknown, timedOut: boolean, timeoutMs: number): TokenError {
  if (error instanceof TokenError) return error;

  if (timedOut || error instanceof errors.HeadersTimeoutError) {
    return new TokenError(
      'ERR_TOKEN_ENDPOINT_TIMEOUT',
      `token endpoint did not answer within ${timeoutMs} ms`,
    );
  }

  const reason = error instanceof Error ? causeText(error) : String(error);

  return new TokenError('ERR_TOKEN_ENDPOINT_UNREACHABLE', `token endpoint unreachable: ${reason}`, {
    cause: error,
  });
}

/** undici wraps the socket error; the inner one (ECONNREFUSED, cert problem) says more. */
function causeText(error: Error): string {
  const inner = error.cause instanceof Error ? error.cause : undefined;
  const code = (inner ?? error) as { code?: unknown };
  const text = (inner ?? error).message;

  return typeof code.code === 'string' ? `${code.code} ${text}` : text;
}
