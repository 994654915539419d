/**
 * The product in-process, between a scriptable token endpoint and a scriptable upstream, all
 * on loopback with port 0. Every log line the product writes is captured for inspection.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { AppConfig, ServerConfig } from '../../src/config/types.ts';
import { createLogger } from '../../src/log/logger.ts';
import { App } from '../../src/server/app.ts';

export const CLIENT_SECRET = 'harness-secret-9f8e7d6c';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
  body: Buffer;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

/** A loopback HTTP server that records what it receives and answers with `handler`. */
export class RecordingServer {
  readonly seen: SeenRequest[] = [];
  handler: Handler;
  /** When false, the handler gets the request before its body is read (streaming tests). */
  readBody = true;
  readonly server: Server;

  constructor(handler: Handler) {
    this.handler = handler;
    this.server = createServer((req, res) => this.#onRequest(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const record: SeenRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body: Buffer.alloc(0),
    };
    this.seen.push(record);
    if (!this.readBody) {
      this.handler(req, res, record.body);
      return;
    }

    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => undefined);
    req.on('end', () => {
      record.body = Buffer.concat(chunks);
      this.handler(req, res, record.body);
    });
  }
}

export function json(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

/** A token endpoint issuing `tok-1`, `tok-2`, ... unless the test scripts other answers. */
export function tokenEndpoint(): RecordingServer & { issued: string[]; script: Handler[] } {
  const issued: string[] = [];
  const script: Handler[] = [];
  const server = new RecordingServer((req, res, body) => {
    const next = script.shift();
    if (next) return next(req, res, body);

    const token = `tok-${issued.length + 1}`;
    issued.push(token);
    json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
  });

  return Object.assign(server, { issued, script });
}

export function serverConfig(name: string, overrides: Partial<ServerConfig>): ServerConfig {
  return {
    name,
    url: 'http://127.0.0.1:9/',
    tokenEndpoint: 'http://127.0.0.1:9/token',
    clientId: 'harness-client',
    clientSecret: CLIENT_SECRET,
    clientAuthMethod: 'client_secret_post',
    providerType: 'generic',
    refreshBufferSeconds: 300,
    tokenWaitSeconds: 5,
    tokenTimeoutSeconds: 5,
    upstreamTimeoutSeconds: 30,
    upstreamIdleSeconds: 30,
    tls: { verify: true },
    ...overrides,
  };
}

/** Collects the product's log lines as parsed JSON and as raw text. */
export class LogCapture extends Writable {
  readonly text: string[] = [];

  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text.push(chunk.toString('utf8'));
    done();
  }

  get entries(): Record<string, unknown>[] {
    return this.text
      .join('')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  get all(): string {
    return this.text.join('');
  }
}

export interface Harness {
  app: App;
  base: string;
  token: ReturnType<typeof tokenEndpoint>;
  upstream: RecordingServer;
  logs: LogCapture;
  stop(): Promise<void>;
}

/** Starts token endpoint, upstream and the product; server `x` maps to `<upstream>/base/`. */
export async function startHarness(
  upstreamHandler: Handler,
  overrides: Partial<ServerConfig> = {},
): Promise<Harness> {
  const token = await tokenEndpoint().start();
  const upstream = await new RecordingServer(upstreamHandler).start();
  const logs = new LogCapture();
  const server = serverConfig('x', {
    url: `${upstream.url}/base/`,
    tokenEndpoint: `${token.url}/token`,
    ...overrides,
  });
  const config: AppConfig = {
    listen: { host: '127.0.0.1', port: 0 },
    logFormat: 'json',
    logLevel: 'debug',
    servers: new Map([['x', server]]),
  };
  const app = new App({
    config,
    logger: createLogger({ format: 'json', level: 'debug', destination: logs }),
    version: 'test',
  });
  const address = await app.listen();

  return {
    app,
    base: `http://127.0.0.1:${address.port}`,
    token,
    upstream,
    logs,
    async stop() {
      await app.close(100);
      await Promise.all([token.stop(), upstream.stop()]);
    },
  };
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
