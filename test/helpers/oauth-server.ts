import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import { Provider, errors } from 'oidc-provider';
import { closeHttpServer, listenOnLoopback } from './loopback-listen.ts';

export interface OAuthServerOptions {
  /** Lifetime of every access token; short, so a test spans several refreshes. */
  accessTokenTtlSeconds: number;
  /** The resource (and JWT `aud`) tokens are issued for; default `urn:dicomweb:cloud`. */
  audience?: string;
}

export interface OAuthClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** What the server has seen; read it at any time. */
export interface OAuthServerStats {
  /** Every POST to the token endpoint, answered with a token or not. */
  tokenRequests: number;
  /** Token requests that got a token. */
  tokensIssued: number;
  /** Token requests that authenticated with HTTP Basic; the others sent the secret in the form. */
  basicAuthRequests: number;
}

export interface RunningOAuthServer {
  issuer: string;
  tokenEndpoint: string;
  jwksUrl: string;
  audience: string;
  /** A confidential client allowed the client-credentials grant. */
  client: OAuthClientCredentials;
  stats: OAuthServerStats;
  /** Gets an access token as the client would (counted in the stats like any other). */
  requestToken(): Promise<string>;
  close(): Promise<void>;
}

const TOKEN_PATH = '/token';

/**
 * A real OAuth 2 authorization server (oidc-provider) on loopback that issues short-lived JWT
 * access tokens by the client-credentials grant, signed with an RSA key made at start.
 * oidc-provider lets a `client_secret_basic` client authenticate with `client_secret_post`
 * too, so the one client serves both methods; the stats tell which one was used.
 */
export async function startOAuthServer(options: OAuthServerOptions): Promise<RunningOAuthServer> {
  const audience = options.audience ?? 'urn:dicomweb:cloud';
  const client = {
    clientId: `e2e-client-${randomBytes(4).toString('hex')}`,
    clientSecret: randomBytes(24).toString('base64url'),
  };
  const stats = { tokenRequests: 0, tokensIssued: 0, basicAuthRequests: 0 };

  const configuration = await providerConfiguration(client, audience, options);
  const server = createServer();
  const issuer = `http://127.0.0.1:${await listenOnLoopback(server)}`;
  let provider: Provider;
  try {
    provider = new Provider(issuer, configuration);
  } catch (error) {
    await closeHttpServer(server);
    throw error;
  }

  provider.on('grant.success', () => stats.tokensIssued++);
  const handle = provider.callback();
  server.on('request', (request: IncomingMessage, response) => {
    countTokenRequest(request, stats);
    handle(request, response);
  });

  const tokenEndpoint = `${issuer}${TOKEN_PATH}`;
  return {
    issuer,
    tokenEndpoint,
    jwksUrl: `${issuer}/jwks`,
    audience,
    client,
    stats,
    requestToken: () => requestToken(tokenEndpoint, client),
    close: () => closeHttpServer(server),
  };
}

async function providerConfiguration(
  client: OAuthClientCredentials,
  audience: string,
  options: OAuthServerOptions,
): Promise<Record<string, unknown>> {
  const ttl = options.accessTokenTtlSeconds;
  const resourceServer = {
    scope: 'dicomweb',
    audience,
    accessTokenTTL: ttl,
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: 'RS256' } },
  };

  return {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [await signingKey()] },
    scopes: ['dicomweb'],
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    ttl: { AccessToken: ttl, ClientCredentials: ttl },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // A request without a `resource` parameter gets a token for the DICOMweb store.
        defaultResource: () => audience,
        getResourceServerInfo: (_ctx: unknown, indicator: string) => {
          if (indicator !== audience) {
            throw new errors.InvalidTarget(`unknown resource ${indicator}`);
          }

          return resourceServer;
        },
      },
    },
  };
}

async function requestToken(endpoint: string, client: OAuthClientCredentials): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: client.clientId,
    client_secret: client.clientSecret,
  });
  const answer = await fetch(endpoint, { method: 'POST', body: form });
  const body = (await answer.json()) as { access_token?: string };
  if (!answer.ok || body.access_token === undefined) {
    throw new Error(`the token endpoint answered ${answer.status}: ${JSON.stringify(body)}`);
  }

  return body.access_token;
}

/** A fresh RS256 key, so no token can verify against oidc-provider's built-in development key. */
async function signingKey(): Promise<Record<string, unknown>> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
}

function countTokenRequest(request: IncomingMessage, stats: OAuthServerStats): void {
  if (request.method !== 'POST' || request.url?.split('?')[0] !== TOKEN_PATH) {
    return;
  }

  stats.tokenRequests++;
  if (request.headers.authorization?.toLowerCase().startsWith('basic ') === true) {
    stats.basicAuthRequests++;
  }
}
