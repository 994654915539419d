/** The validated, normalised configuration the service runs on. */

export type LogFormat = 'json' | 'text';
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
export type ClientAuthMethod = 'client_secret_post' | 'client_secret_basic';
export type ProviderType = 'auto' | 'generic' | 'azure' | 'google' | 'keycloak';

export interface ListenAddress {
  host: string;
  /** 0 asks the system for a free port; the bound port is logged at start. */
  port: number;
}

/** How to check the TLS certificates of the upstream and of the token endpoint. */
export interface TlsOptions {
  /** false turns verification off (a warning is logged at every start). */
  verify: boolean;
  /** PEM of CAs trusted besides the usual roots, read from the `VerifySSL` bundle path. */
  ca?: string;
  /** Where `ca` was read from, for messages. */
  caFile?: string;
}

export interface ServerConfig {
  /** The key under `DicomWebOAuth.Servers`; the `<name>` in the proxy route. */
  name: string;
  /** Upstream DICOMweb base URL, always ending in `/`. */
  url: string;
  tokenEndpoint: string;
  clientId: string;
  /** Never logged, printed or returned by any route. */
  clientSecret: string;
  clientAuthMethod: ClientAuthMethod;
  /** Space-separated scopes; undefined sends no `scope` parameter. */
  scope?: string;
  providerType: ProviderType;
  tenantId?: string;
  /** Start refreshing this long before expiry, capped at half the token lifetime. */
  refreshBufferSeconds: number;
  /** Longest a request waits for a token before it is answered 503. */
  tokenWaitSeconds: number;
  /** Limit for one token endpoint call. */
  tokenTimeoutSeconds: number;
  /**
   * Longest wait for the upstream's response headers. The clock restarts with every chunk of
   * request body written, so it also bounds a stalled upload.
   */
  upstreamTimeoutSeconds: number;
  /** Longest silence between chunks of the response body. */
  upstreamIdleSeconds: number;
  tls: TlsOptions;
}

export interface AppConfig {
  listen: ListenAddress;
  logFormat: LogFormat;
  logLevel: LogLevel;
  /** Keyed by server name, in the order of the file. */
  servers: Map<string, ServerConfig>;
}

/** One thing wrong with the configuration, located by its JSON path. */
export interface ConfigProblem {
  /** For example `DicomWebOAuth.Servers.azure.TokenEndpoint`. */
  path: string;
  /** What is wrong, never quoting a secret value. */
  message: string;
}

export type ConfigNoteLevel = 'debug' | 'warn';

/** Something worth telling that does not stop the service (unknown key, TLS off, ...). */
export interface ConfigNote {
  level: ConfigNoteLevel;
  path: string;
  message: string;
}

export type LoadResult =
  | { ok: true; config: AppConfig; notes: ConfigNote[] }
  | { ok: false; problems: ConfigProblem[]; notes: ConfigNote[] };
