import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { pipeline } from 'node:stream';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { closeHttpServer, listenOnLoopback } from './loopback-listen.ts';

export interface TokenGateOptions {
  /** Origin of the protected server, e.g. `http://127.0.0.1:8042`; paths pass unchanged. */
  upstream: string;
  /** Where the authorization server publishes its signing keys. */
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** The time tokens are checked against; default the system clock. */
  now?: () => Date;
}

export interface GateRejection {
  method: string;
  path: string;
  reason: string;
}

/** What the gate has seen; read it at any time. */
export interface TokenGateStats {
  accepted: number;
  /** Every request answered 401, with the reason. */
  rejections: GateRejection[];
  /** Every distinct bearer token that passed, in order of first use. */
  tokens: Set<string>;
}

export interface RunningTokenGate {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  stats: TokenGateStats;
  close(): Promise<void>;
}

/** Drops the headers that belong to one connection (RFC 9110 §7.6.1) and the credentials. */
const NOT_FORWARDED = new Set([
  'authorization',
  'connection',
  'host',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'upgrade',
]);

/**
 * Stands in front of a DICOMweb server the way a cloud store's front door does: every request
 * needs a valid, unexpired JWT bearer token from the test's authorization server, or it gets
 * 401. Accepted requests go on to the upstream with both bodies streamed.
 */
export async function startTokenGate(options: TokenGateOptions): Promise<RunningTokenGate> {
  const keys = createRemoteJWKSet(new URL(options.jwksUrl));
  const agent = new Agent({ keepAlive: true });
  const stats: TokenGateStats = { accepted: 0, rejections: [], tokens: new Set() };

  const verify = async (token: string): Promise<void> => {
    await jwtVerify(token, keys, {
      issuer: options.issuer,
      audience: options.audience,
      algorithms: ['RS256'],
      typ: 'at+jwt',
      requiredClaims: ['exp'],
      currentDate: options.now?.(),
      // Token lifetimes in these tests are seconds long; allow only for whole-second rounding.
      clockTolerance: 1,
    });
  };

  const upstream = new URL(options.upstream);
  const server = createServer((request, response) => {
    admit(request, verify)
      .then((reason) => {
        if (reason !== undefined) {
          reject(request, response, reason, stats);
          return;
        }

        stats.accepted++;
        stats.tokens.add(bearerToken(request.headers) ?? '');
        forward(request, response, upstream, agent);
      })
      .catch((error: unknown) => response.destroy(error as Error));
  });
  const port = await listenOnLoopback(server);

  const close = async (): Promise<void> => {
    await closeHttpServer(server);
    agent.destroy();
  };

  return { origin: `http://127.0.0.1:${port}`, stats, close };
}

/** Resolves to undefined when the request may pass, or to why it may not. */
async function admit(
  request: IncomingMessage,
  verify: (token: string) => Promise<void>,
): Promise<string | undefined> {
  // Origin-form only ("/path"), so no request can point the gate at another host.
  if (!request.url?.startsWith('/') || request.url.startsWith('//')) {
    return `not an origin-form target: ${request.url}`;
  }

  const token = bearerToken(request.headers);
  if (token === undefined) {
    return 'no bearer token';
  }

  try {
    await verify(token);
    return undefined;
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'ERR_UNKNOWN';
    return `${code}: ${(error as Error).message}`;
  }
}

function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer ([^\s]+)$/i.exec(headers.authorization ?? '');
  return match?.[1];
}

function reject(
  request: IncomingMessage,
  response: ServerResponse,
  reason: string,
  stats: TokenGateStats,
): void {
  stats.rejections.push({ method: request.method ?? '', path: request.url ?? '', reason });

  // Discard the body the client may still be sending, so it reads the answer.
  request.resume();
  response.writeHead(401, {
    'content-type': 'application/json',
    'www-authenticate': 'Bearer error="invalid_token"',
  });
  response.end(JSON.stringify({ error: 'invalid_token' }));
}

function forward(
  request: IncomingMessage,
  response: ServerResponse,
  upstream: URL,
  agent: Agent,
): void {
  const outgoing = httpRequest({
    host: upstream.hostname,
    port: upstream.port,
    path: request.url,
    method: request.method,
    headers: forwardedHeaders(request.headers),
    agent,
  });

  outgoing.on('response', (answer) => {
    response.writeHead(answer.statusCode ?? 502, forwardedHeaders(answer.headers));
    pipeline(answer, response, () => undefined);
  });
  outgoing.on('error', (error) => {
    request.resume();
    if (response.headersSent) {
      response.destroy(error);
      return;
    }

    response.writeHead(502, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: 'upstream', message: error.message }));
  });
  request.on('error', () => outgoing.destroy());
  // pipe() keeps backpressure: the client is read only as fast as the upstream takes it.
  request.pipe(outgoing);
}

function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase()),
  );
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !NOT_FORWARDED.has(name) && !named.has(name)) {
      kept[name] = value;
    }
  }

  return kept;
}
