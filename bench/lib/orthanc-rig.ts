/**
 * The components of the Orthanc benchmark, all on loopback inside the network namespace:
 * Orthanc B receives, and checks the bearer token of every DICOMweb request (a Lua filter
 * asking a JWT verifier); the compiled product fetches tokens from a real OAuth server;
 * Orthanc A sends, to B directly (with a fixed token B accepts) or through the product.
 */
import { randomBytes } from 'node:crypto';
import { startOAuthServer, type RunningOAuthServer } from '../../test/helpers/oauth-server.ts';
import { startOrthanc, type RunningOrthanc } from '../../test/helpers/orthanc.ts';
import { oneServerConfig, startProduct, type RunningProduct } from '../../test/helpers/product.ts';
import type { Teardown } from '../../test/helpers/teardown.ts';
import { startTokenCheck, type RunningTokenCheck } from './orthanc-token-check.ts';

/** The names of Orthanc A's DICOMweb servers, which are the variants measured. */
export const ORTHANC_VARIANTS = ['direct', 'proxied'] as const;
export type OrthancVariant = (typeof ORTHANC_VARIANTS)[number];

/** Short enough that a run of several minutes spans many refreshes. */
export const TOKEN_TTL_SECONDS = 20;
/** Seconds Orthanc A gives each HTTP call of a STOW before it fails the job. */
const HTTP_TIMEOUT_SECONDS = 120;

export interface OrthancRig {
  oauth: RunningOAuthServer;
  receiver: RunningOrthanc;
  check: RunningTokenCheck;
  product: RunningProduct;
  sender: RunningOrthanc;
}

/** Starts every component, each added to `teardown` as soon as it runs. */
export async function startOrthancRig(
  teardown: Teardown,
  productEntryPoint: string,
  directory: string,
): Promise<OrthancRig> {
  const oauth = await startOAuthServer({ accessTokenTtlSeconds: TOKEN_TTL_SECONDS });
  teardown.add('OAuth server', () => oauth.close());
  const staticToken = randomBytes(24).toString('base64url');
  const check = await startTokenCheck(
    { jwksUrl: oauth.jwksUrl, issuer: oauth.issuer, audience: oauth.audience, staticToken },
    directory,
  );
  teardown.add('token check', () => check.close());
  const receiver = await startOrthanc({ name: 'b', luaScripts: [check.luaScript] });
  teardown.add('Orthanc B', () => receiver.stop());

  const product = await startProduct({
    config: productConfig(oauth, `${receiver.url}dicom-web/`),
    entryPoint: productEntryPoint,
  });
  teardown.add('product', () => product.stop());

  const sender = await startOrthanc({
    name: 'a',
    dicomWebServers: {
      direct: senderServer(`${receiver.url}dicom-web/`, { Authorization: `Bearer ${staticToken}` }),
      proxied: senderServer(`${product.origin}/oauth-dicom-web/servers/cloud/`),
    },
  });
  teardown.add('Orthanc A', () => sender.stop());

  return { oauth, receiver, check, product, sender };
}

function productConfig(oauth: RunningOAuthServer, url: string): object {
  return oneServerConfig('cloud', {
    Url: url,
    TokenEndpoint: oauth.tokenEndpoint,
    ClientId: oauth.client.clientId,
    ClientSecret: oauth.client.clientSecret,
  });
}

function senderServer(url: string, headers?: Record<string, string>): Record<string, unknown> {
  const server: Record<string, unknown> = {
    Url: url,
    ChunkedTransfers: true,
    Timeout: HTTP_TIMEOUT_SECONDS,
  };
  if (headers) server['HttpHeaders'] = headers;

  return server;
}
