/**
 * Starts the four parts of the demo, all on loopback inside the demo's network namespace,
 * each registered for teardown as soon as it runs:
 *
 *   "local" Orthanc ──DICOMweb──▶ dicomweb-oauth ──Bearer──▶ token gate ──▶ "cloud" Orthanc
 *                                       │
 *                                       └──client credentials──▶ OAuth server (oidc-provider)
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startOAuthServer, type RunningOAuthServer } from '../../test/helpers/oauth-server.ts';
import { startOrthanc, type RunningOrthanc } from '../../test/helpers/orthanc.ts';
import { startProduct, type RunningProduct } from '../../test/helpers/product.ts';
import type { Teardown } from '../../test/helpers/teardown.ts';
import { startTokenGate, type RunningTokenGate } from '../../test/helpers/token-gate.ts';
import { line, step } from './output.ts';

/** The name of the protected server, in both Orthanc's and dicomweb-oauth's configuration. */
export const SERVER = 'cloud';

/** Long enough to watch, short enough that a kept demo shows refreshes. */
const TOKEN_TTL_SECONDS = 60;

/** The environment variable the generated configuration takes the client secret from. */
const SECRET_VARIABLE = 'CLIENT_SECRET';

const COMMAND = fileURLToPath(new URL('../../bin/dicomweb-oauth.js', import.meta.url));

const run = promisify(execFile);

export interface DemoComponents {
  oauth: RunningOAuthServer;
  cloud: RunningOrthanc;
  gate: RunningTokenGate;
  product: RunningProduct;
  local: RunningOrthanc;
  /** dicomweb-oauth's configuration file as written: the secret is a `${CLIENT_SECRET}`. */
  productConfig: ProductConfig;
  /** Requests the gate refused before dicomweb-oauth started: the demo's own, without a token. */
  refusedBeforeProduct: number;
  /** The local Orthanc's `DicomWeb.Servers` entry, pointing at dicomweb-oauth. */
  localServerEntry: Record<string, unknown>;
}

interface ProductConfig {
  DicomWebOAuth: Record<string, unknown>;
}

export async function startComponents(
  teardown: Teardown,
  workDirectory: string,
): Promise<DemoComponents> {
  const oauth = await withoutDevAdapterWarning(() =>
    startOAuthServer({ accessTokenTtlSeconds: TOKEN_TTL_SECONDS }),
  );
  teardown.add('OAuth server', () => oauth.close());
  step(
    `OAuth server (oidc-provider), issuing ${TOKEN_TTL_SECONDS} s tokens to a client-credentials ` +
      'client:',
    oauth.tokenEndpoint,
  );

  const { cloud, gate } = await startCloud(teardown, oauth);
  const refusedBeforeProduct = gate.stats.rejections.length;
  const productConfig = configFor(oauth, gate);
  const configFile = join(workDirectory, 'orthanc.json');
  await writeFile(configFile, `${JSON.stringify(productConfig, null, 2)}\n`);
  const checked = await checkConfig(configFile, oauth.client.clientSecret);
  const product = await startWithSecret(oauth.client.clientSecret, () =>
    startProduct({ config: productConfig }),
  );
  teardown.add('dicomweb-oauth', () => product.stop());
  step(
    'dicomweb-oauth, started as `dicomweb-oauth serve --config orthanc.json`:',
    product.origin,
    `(before that, \`dicomweb-oauth check\` said: ${checked})`,
  );

  const localServerEntry = {
    Url: `${product.origin}/oauth-dicom-web/servers/${SERVER}/`,
    ChunkedTransfers: true,
  };
  const local = await startOrthanc({
    name: 'local',
    dicomWebServers: { [SERVER]: localServerEntry },
  });
  teardown.add('local Orthanc', () => local.stop());
  step(
    `"local" Orthanc, whose DICOMweb server "${SERVER}" is dicomweb-oauth's route:`,
    `${local.url}  (DicomWeb.Servers.${SERVER}.Url = ${String(localServerEntry.Url)})`,
  );

  return {
    oauth,
    cloud,
    gate,
    product,
    local,
    productConfig,
    refusedBeforeProduct,
    localServerEntry,
  };
}

async function startCloud(
  teardown: Teardown,
  oauth: RunningOAuthServer,
): Promise<{ cloud: RunningOrthanc; gate: RunningTokenGate }> {
  const cloud = await startOrthanc({ name: SERVER });
  teardown.add('cloud Orthanc', () => cloud.stop());
  const gate = await startTokenGate({
    upstream: cloud.url,
    jwksUrl: oauth.jwksUrl,
    issuer: oauth.issuer,
    audience: oauth.audience,
  });
  teardown.add('token gate', () => gate.close());

  const refused = await fetch(`${gate.origin}/dicom-web/studies`, {
    signal: AbortSignal.timeout(10_000),
  });
  await refused.body?.cancel();
  step(
    `"cloud" Orthanc behind a token gate that checks each JWT's signature, issuer, audience ` +
      'and expiry:',
    `${gate.origin}/dicom-web/`,
  );
  line(`(asked without a token, it answers HTTP ${refused.status})`);
  if (refused.status !== 401) throw new Error(`the gate answered ${refused.status}, not 401`);

  return { cloud, gate };
}

function configFor(oauth: RunningOAuthServer, gate: RunningTokenGate): ProductConfig {
  return {
    DicomWebOAuth: {
      // Port 0: the system picks a free one (the default is 127.0.0.1:8089).
      Listen: '127.0.0.1:0',
      LogFormat: 'json',
      LogLevel: 'info',
      Servers: {
        [SERVER]: {
          Url: `${gate.origin}/dicom-web/`,
          TokenEndpoint: oauth.tokenEndpoint,
          ClientId: oauth.client.clientId,
          ClientSecret: `\${${SECRET_VARIABLE}}`,
          Scope: 'dicomweb',
        },
      },
    },
  };
}

/** Runs `dicomweb-oauth check` on the file; returns what it printed. */
async function checkConfig(configFile: string, secret: string): Promise<string> {
  const env = { ...process.env, [SECRET_VARIABLE]: secret };
  const { stdout } = await run(process.execPath, [COMMAND, 'check', '--config', configFile], {
    env,
    timeout: 30_000,
  });

  return stdout.trim();
}

/**
 * The product helper passes this process's environment on; the secret is in it only while
 * dicomweb-oauth starts, so the Orthancs started later never see it.
 */
async function startWithSecret<T>(secret: string, start: () => Promise<T>): Promise<T> {
  process.env[SECRET_VARIABLE] = secret;
  try {
    return await start();
  } finally {
    delete process.env[SECRET_VARIABLE];
  }
}

/** oidc-provider warns that its in-memory store is for development, which is all a demo needs. */
async function withoutDevAdapterWarning<T>(start: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]): void => {
    if (String(args[0]).includes('development-only in-memory adapter')) return;

    warn(...args);
  };
  try {
    return await start();
  } finally {
    console.warn = warn;
  }
}
