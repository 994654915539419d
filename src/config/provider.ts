import {
  AZURE_DICOM_SCOPE,
  hasAzureApiVersion,
  isEntraTokenEndpoint,
  isTenantId,
} from './azure.ts';
import { received } from './describe.ts';
import type { SectionReader } from './section-reader.ts';
import type { ProviderType } from './types.ts';

export const PROVIDER_TYPES: readonly ProviderType[] = [
  'auto',
  'generic',
  'azure',
  'google',
  'keycloak',
];

export function readTenantId(reader: SectionReader): string | undefined {
  const tenantId = reader.string('TenantId');
  if (tenantId === undefined || isTenantId(tenantId)) return tenantId;

  const rule = 'must be a directory ID or domain of letters, digits, "." and "-"';
  reader.problem('TenantId', `${rule} (${received(tenantId)})`);
  return undefined;
}

/**
 * `Scope`, trimmed. For Azure (named, or detected from an Entra token endpoint) the DICOM
 * service resource when none is given: Entra refuses a client-credentials request without one.
 */
export function readScope(
  reader: SectionReader,
  providerType: ProviderType,
  tokenEndpoint: string | undefined,
): string | undefined {
  const scope = reader.string('Scope');
  if (scope !== undefined) return scope.trim();

  const entra = tokenEndpoint !== undefined && isEntraTokenEndpoint(tokenEndpoint);
  const azure = providerType === 'azure' || (providerType === 'auto' && entra);

  return !reader.has('Scope') && azure ? AZURE_DICOM_SCOPE : undefined;
}

/** Azure DICOM answers 404 to every path when the base URL lacks `/v1/` or `/v2/`. */
export function warnMissingApiVersion(
  reader: SectionReader,
  providerType: ProviderType,
  server: { url: string | undefined; tokenEndpoint: string | undefined },
): void {
  const { url, tokenEndpoint } = server;
  const entra = tokenEndpoint !== undefined && isEntraTokenEndpoint(tokenEndpoint);
  const azure = providerType === 'azure' || (providerType === 'auto' && entra);
  if (!azure || url === undefined || hasAzureApiVersion(url)) return;

  const message = `Azure DICOM base URLs need the API version, e.g. "${url}v2/"`;
  reader.warn('Url', message);
}
