/**
 * The upstream of the token benchmarks: answers every request with a small JSON body at once,
 * and keeps which bearer token each request carried. Loopback only.
 */
import { createServer } from 'node:http';
import { closeHttpServer, listenOnLoopback } from '../../test/helpers/loopback-listen.ts';

export interface RunningTokenOrigin {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** How many requests carried each distinct `Authorization` value, in order of first use. */
  readonly tokens: Map<string, number>;
  close(): Promise<void>;
}

/** About the size of one QIDO-RS study match. */
const BODY = JSON.stringify([{ '0020000D': { vr: 'UI', Value: ['1.2.3.4.5.6.7.8.9'] } }]);

export async function startTokenOrigin(): Promise<RunningTokenOrigin> {
  const tokens = new Map<string, number>();
  const server = createServer((request, response) => {
    const authorization = request.headers.authorization ?? '';
    tokens.set(authorization, (tokens.get(authorization) ?? 0) + 1);
    request.resume();
    response.writeHead(200, {
      'content-type': 'application/dicom+json',
      'content-length': Buffer.byteLength(BODY),
    });
    response.end(BODY);
  });
  const port = await listenOnLoopback(server);

  return { origin: `http://127.0.0.1:${port}`, tokens, close: () => closeHttpServer(server) };
}
