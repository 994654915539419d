/**
 * A client-credentials token endpoint for the token benchmarks: it counts every call, answers
 * after a set delay, and can be told at any time to refuse instead. Loopback only.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { closeHttpServer, listenOnLoopback } from '../../test/helpers/loopback-listen.ts';

/** What the endpoint does with the next call. */
export type TokenAnswer =
  | { kind: 'token'; delayMs: number; lifetimeSeconds: number }
  | { kind: 'refuse'; status: number; oauthError: string; delayMs: number };

export interface RunningTokenEndpoint {
  /** `http://127.0.0.1:<port>/token` */
  url: string;
  /** Changes how the following calls are answered. */
  answer: TokenAnswer;
  /** `performance.now()` at the arrival of each call, in order. */
  readonly calls: number[];
  close(): Promise<void>;
}

export async function startTokenEndpoint(answer: TokenAnswer): Promise<RunningTokenEndpoint> {
  const calls: number[] = [];
  const endpoint = { answer, calls };
  const server = createServer((request, response) => {
    calls.push(performance.now());
    respond(request, response, endpoint.answer).catch(() => response.destroy());
  });
  const port = await listenOnLoopback(server);

  return Object.assign(endpoint, {
    url: `http://127.0.0.1:${port}/token`,
    close: () => closeHttpServer(server),
  });
}

async function respond(
  request: IncomingMessage,
  response: ServerResponse,
  answer: TokenAnswer,
): Promise<void> {
  // The form is read and dropped: any client id and secret will do here.
  request.resume();
  await sleep(answer.delayMs);
  if (answer.kind === 'refuse') {
    reply(response, answer.status, { error: answer.oauthError });
    return;
  }

  reply(response, 200, {
    access_token: randomBytes(24).toString('base64url'),
    token_type: 'Bearer',
    expires_in: answer.lifetimeSeconds,
  });
}

function reply(response: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}
