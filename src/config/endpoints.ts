import { entraTokenEndpoint } from './azure.ts';
import { quote } from './describe.ts';
import type { SectionReader } from './section-reader.ts';
import type { ProviderType } from './types.ts';
import { checkTokenEndpoint, checkUpstreamUrl, isLoopbackHost, safeUrlText } from './urls.ts';

/** `Url`, the upstream DICOMweb base, normalised to end in `/`. */
export function readUpstreamUrl(reader: SectionReader): string | undefined {
  const text = reader.string('Url', { required: true });
  if (text === undefined) return undefined;

  const check = checkUpstreamUrl(text);
  if (!check.ok) {
    reader.problem('Url', `${check.reason} (received ${quote(safeUrlText(text))})`);
    return undefined;
  }

  if (check.url.protocol === 'http:' && !isLoopbackHost(check.url)) {
    reader.warn('Url', 'uses plain http to a host that is not loopback: tokens travel unencrypted');
  }
  return check.url.href;
}

/** `TokenEndpoint`, or the Entra ID endpoint derived from `TenantId` for Azure. */
export function readTokenEndpoint(
  reader: SectionReader,
  providerType: ProviderType,
  tenantId: string | undefined,
): string | undefined {
  if (!reader.has('TokenEndpoint')) return deriveTokenEndpoint(reader, providerType, tenantId);

  const text = reader.string('TokenEndpoint');
  if (text === undefined) return undefined;

  const check = checkTokenEndpoint(text);
  if (!check.ok) {
    reader.problem('TokenEndpoint', `${check.reason} (received ${quote(safeUrlText(text))})`);
    return undefined;
  }

  return check.url.href;
}

function deriveTokenEndpoint(
  reader: SectionReader,
  providerType: ProviderType,
  tenantId: string | undefined,
): string | undefined {
  const azure = providerType === 'azure';
  if (azure && tenantId !== undefined) return entraTokenEndpoint(tenantId);

  // A TenantId that broke its own rule is reported already.
  if (azure && reader.has('TenantId')) return undefined;

  const missing = azure
    ? 'is required (or TenantId, from which the Entra ID endpoint is derived)'
    : reader.has('TenantId')
      ? 'is required; it is derived from TenantId only when ProviderType is "azure"'
      : 'is required';
  reader.problem('TokenEndpoint', missing);
  return undefined;
}
