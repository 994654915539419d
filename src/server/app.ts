/**
 * The HTTP service: one listener that serves the proxy routes and the admin routes, and owns
 * the upstreams. This is the edge where things get logged.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_PREFIX, handleAdmin } from '../admin/routes.ts';
import type { AppConfig } from '../config/types.ts';
import type { Logger } from '../log/logger.ts';
import { admit } from '../proxy/admission.ts';
import { drainUnreadBody } from '../proxy/body.ts';
import { forward } from '../proxy/forward.ts';
import { sendError } from '../proxy/replies.ts';
import { systemClock, type Clock } from '../util/clock.ts';
import { logRefusal, logTokenEvents } from './token-log.ts';
import { Upstream } from './upstream.ts';

export interface AppOptions {
  config: AppConfig;
  logger: Logger;
  version: string;
  clock?: Clock;
}

export class App {
  readonly server: Server;
  readonly upstreams: Map<string, Upstream>;
  readonly #log: Logger;
  readonly #config: AppConfig;
  readonly #startedAt = new Date();
  readonly #version: string;
  #nextId = 0;

  constructor(opts: AppOptions) {
    this.#log = opts.logger;
    this.#config = opts.config;
    this.#version = opts.version;
    const clock = opts.clock ?? systemClock;
    this.upstreams = new Map();
    for (const [name, server] of opts.config.servers) {
      const upstream = new Upstream(server, clock);
      logTokenEvents(upstream, this.#log);
      this.upstreams.set(name, upstream);
    }

    // No request timeout of Node's own: a multi-gigabyte STOW may take many minutes. The
    // upstream's idle limits end exchanges that stall.
    this.server = createServer({ requestTimeout: 0, keepAliveTimeout: 65_000 }, this.#handle);
    // Malformed requests are left to Node's own handler: it answers 400, 431 or 408 as fits,
    // and never writes into a response that has already begun.
  }

  /** Starts listening; resolves with the bound address (useful when the port was 0). */
  listen(): Promise<AddressInfo> {
    const { host, port } = this.#config.listen;

    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Stops accepting, lets requests in flight finish for up to `graceMs`, then cuts them. */
  async close(graceMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const timer = setTimeout(() => this.server.closeAllConnections(), graceMs);
    await closed;
    clearTimeout(timer);
    await Promise.all([...this.upstreams.values()].map((u) => u.close()));
  }

  #handle = (req: IncomingMessage, res: ServerResponse): void => {
    // A request that fails to parse or a socket that dies must never take the service down.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const target = req.url ?? '';
    try {
      if (target.startsWith(ADMIN_PREFIX)) {
        handleAdmin(req, res, {
          upstreams: this.upstreams,
          startedAt: this.#startedAt,
          version: this.#version,
        });
        return;
      }

      this.#proxy(req, res, target).catch((error: unknown) => this.#fail(res, error));
    } catch (error) {
      this.#fail(res, error);
    }
  };

  /** Last resort for a bug: log it, answer 500 if still possible, and keep serving. */
  #fail(res: ServerResponse, error: unknown): void {
    this.#log.error({ err: error }, 'unexpected failure while handling a request');
    try {
      sendError(res, { status: 500, error: 'internal_error', message: 'internal error' });
    } catch {
      res.destroy();
    }
  }

  async #proxy(req: IncomingMessage, res: ServerResponse, target: string): Promise<void> {
    const started = performance.now();
    const admission = admit(req, target, this.upstreams);
    if (admission.ok) {
      const { upstream, route } = admission;
      const record = await forward(req, res, upstream, route);
      this.#access(req, started, { server: upstream.name, path: `/${route.rest}`, ...record });
      if (record.refusal) logRefusal(this.#log, upstream.name, record.status, record.refusal);
    } else {
      const { reply, path } = admission;
      sendError(res, reply);
      this.#access(req, started, {
        status: reply.status,
        server: reply.server,
        path,
        error: reply.error,
      });
    }

    drainUnreadBody(req);
  }

  /** One line per request: method, server, path (never the query: it can name a patient). */
  #access(req: IncomingMessage, started: number, fields: Record<string, unknown>): void {
    const level = isProblem(fields['error']) ? 'warn' : 'info';
    if (!this.#log.isLevelEnabled(level)) return;

    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    this.#log[level](
      { reqId: ++this.#nextId, method: req.method, ...fields, durationMs },
      'request',
    );
  }
}

/** A client that hangs up is its own business; everything else the service answered is not. */
function isProblem(error: unknown): boolean {
  return typeof error === 'string' && error !== 'client_gone';
}
