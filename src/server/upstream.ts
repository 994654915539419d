/**
 * Everything the service holds for one configured server: the connection pool to the
 * upstream, the agent for its token endpoint and its token source.
 */
import { getCACertificates } from 'node:tls';
import { Agent, Pool } from 'undici';
import type { ServerConfig, TlsOptions } from '../config/types.ts';
import type { Refusal } from '../proxy/challenge.ts';
import type { AccessToken } from '../tokens/access-token.ts';
import { TokenError } from '../tokens/errors.ts';
import { scrubSecret } from '../tokens/scrub.ts';
import { sendTokenRequest } from '../tokens/token-client.ts';
import { buildTokenRequest } from '../tokens/token-request.ts';
import { processTokenResponse } from '../tokens/token-response.ts';
import { TokenSource } from '../tokens/token-source.ts';
import type { Clock } from '../util/clock.ts';

/** Keep-alive connections per upstream; Orthanc rarely uses more than a handful at once. */
const MAX_CONNECTIONS = 64;
const CONNECT_TIMEOUT_MS = 10_000;

export class Upstream {
  readonly name: string;
  readonly config: ServerConfig;
  /** Path of the configured base URL, ending in `/`; every request stays under it. */
  readonly basePath: string;
  readonly pool: Pool;
  readonly tokens: TokenSource;
  readonly #tokenAgent: Agent;
  /** The last time the upstream refused a token or a request, and why. */
  lastRefusal: (Refusal & { status: number; at: string }) | undefined;

  constructor(config: ServerConfig, clock: Clock) {
    const url = new URL(config.url);
    this.name = config.name;
    this.config = config;
    this.basePath = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
    this.pool = new Pool(url.origin, {
      connections: MAX_CONNECTIONS,
      headersTimeout: config.upstreamTimeoutSeconds * 1000,
      bodyTimeout: config.upstreamIdleSeconds * 1000,
      connect: connectOptions(config.tls),
    });
    this.#tokenAgent = new Agent({ connect: connectOptions(config.tls), connections: 4 });
    this.tokens = new TokenSource({
      clock,
      waitBudgetMs: config.tokenWaitSeconds * 1000,
      fetchToken: (seq, signal) => this.#fetchToken(clock, seq, signal),
    });
  }

  noteRefusal(status: number, refusal: Refusal): void {
    this.lastRefusal = { status, ...refusal, at: new Date().toISOString() };
  }

  async close(): Promise<void> {
    this.tokens.reset();
    await Promise.all([this.pool.close(), this.#tokenAgent.close()]);
  }

  /** Ends connections at once, for a shutdown that cannot wait any longer. */
  async destroy(): Promise<void> {
    this.tokens.reset();
    await Promise.all([this.pool.destroy(), this.#tokenAgent.destroy()]);
  }

  async #fetchToken(clock: Clock, seq: number, signal: AbortSignal): Promise<AccessToken> {
    const request = buildTokenRequest(this.config);
    const sentAt = clock.now();
    const timeoutMs = this.config.tokenTimeoutSeconds * 1000;
    try {
      const response = await sendTokenRequest(this.#tokenAgent, request, timeoutMs, signal);

      return processTokenResponse(response, {
        sentAt,
        refreshBufferMs: this.config.refreshBufferSeconds * 1000,
        seq,
      });
    } catch (error) {
      throw error instanceof TokenError ? scrubSecret(error, this.config.clientSecret) : error;
    }
  }
}

/**
 * A configured CA bundle is trusted in addition to the usual roots, not instead of them: the
 * upstream may use a private CA while its token endpoint (Entra, Google) uses a public one.
 */
function connectOptions(tls: TlsOptions): ConnectOptions {
  const options = { rejectUnauthorized: tls.verify, timeout: CONNECT_TIMEOUT_MS };
  if (tls.ca === undefined) return options;

  return { ...options, ca: [...getCACertificates('default'), tls.ca] };
}

interface ConnectOptions {
  rejectUnauthorized: boolean;
  ca?: string[];
  timeout: number;
}
