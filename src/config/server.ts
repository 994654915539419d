import { readClientSecret } from './client-secret.ts';
import { received } from './describe.ts';
import { readTokenEndpoint, readUpstreamUrl } from './endpoints.ts';
import { PROVIDER_TYPES, readScope, readTenantId, warnMissingApiVersion } from './provider.ts';
import type { ConfigReport } from './report.ts';
import { requireObject, SectionReader } from './section-reader.ts';
import { readTls } from './tls.ts';
import type { ClientAuthMethod, ServerConfig } from './types.ts';

export const SERVER_KEYS: readonly string[] = [
  'Url',
  'TokenEndpoint',
  'ClientId',
  'ClientSecret',
  'ClientSecretFile',
  'ClientAuthMethod',
  'Scope',
  'ProviderType',
  'TenantId',
  'TokenRefreshBufferSeconds',
  'TokenWaitSeconds',
  'TokenTimeoutSeconds',
  'UpstreamTimeoutSeconds',
  'UpstreamIdleSeconds',
  'VerifySSL',
];

const AUTH_METHODS: readonly ClientAuthMethod[] = ['client_secret_post', 'client_secret_basic'];

// The name is a path segment of the proxy route; "." and ".." would be resolved away.
const SERVER_NAME = /^[A-Za-z0-9._-]{1,64}$/;

export interface ServerContext {
  report: ConfigReport;
  /** Where relative file paths (ClientSecretFile, VerifySSL) are taken from. */
  baseDir: string;
}

/** One entry of `DicomWebOAuth.Servers`; undefined when it has any problem. */
export async function readServer(
  name: string,
  value: unknown,
  context: ServerContext,
): Promise<ServerConfig | undefined> {
  const { report, baseDir } = context;
  const path = `DicomWebOAuth.Servers.${name}`;
  const problemsBefore = report.problems.length;
  checkServerName(name, path, report);
  const section = requireObject(value, path, report);
  if (section === undefined) return undefined;

  const reader = new SectionReader(section, path, report);
  reader.reportUnknownKeys(SERVER_KEYS);
  const providerType = reader.oneOf('ProviderType', PROVIDER_TYPES, 'auto');
  const tenantId = readTenantId(reader);
  const url = readUpstreamUrl(reader);
  const tokenEndpoint = readTokenEndpoint(reader, providerType, tenantId);
  warnMissingApiVersion(reader, providerType, { url, tokenEndpoint });
  const clientId = reader.string('ClientId', { required: true });
  const clientSecret = await readClientSecret(reader, baseDir);
  const clientAuthMethod = reader.oneOf('ClientAuthMethod', AUTH_METHODS, 'client_secret_post');
  const scope = readScope(reader, providerType, tokenEndpoint);
  const timings = readTimings(reader);
  const tls = await readTls(reader, name, baseDir);
  if (report.problems.length > problemsBefore) return undefined;
  // Each is defined when no problem was reported; this tells the compiler so.
  if (!url || !tokenEndpoint || !clientId || !clientSecret) return undefined;

  return {
    name,
    url,
    tokenEndpoint,
    clientId,
    clientSecret,
    clientAuthMethod,
    scope,
    providerType,
    tenantId,
    ...timings,
    tls,
  };
}

function checkServerName(name: string, path: string, report: ConfigReport): void {
  if (SERVER_NAME.test(name) && name !== '.' && name !== '..') return;

  const rule = 'server name must be 1 to 64 characters of A-Z a-z 0-9 . _ -, not "." or ".."';
  report.problem(path, `${rule}, as it is a URL path segment (${received(name)})`);
}

type Timings = Pick<
  ServerConfig,
  | 'refreshBufferSeconds'
  | 'tokenWaitSeconds'
  | 'tokenTimeoutSeconds'
  | 'upstreamTimeoutSeconds'
  | 'upstreamIdleSeconds'
>;

function readTimings(reader: SectionReader): Timings {
  const positive = { positive: true };
  return {
    refreshBufferSeconds: reader.seconds('TokenRefreshBufferSeconds', 300, { positive: false }),
    tokenWaitSeconds: reader.seconds('TokenWaitSeconds', 15, positive),
    tokenTimeoutSeconds: reader.seconds('TokenTimeoutSeconds', 10, positive),
    upstreamTimeoutSeconds: reader.seconds('UpstreamTimeoutSeconds', 300, positive),
    upstreamIdleSeconds: reader.seconds('UpstreamIdleSeconds', 300, positive),
  };
}
