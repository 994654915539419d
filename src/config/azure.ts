/** What the configuration knows about Azure Health Data Services DICOM and Entra ID. */

/** The resource every Azure DICOM service token is issued for. */
export const AZURE_DICOM_SCOPE = 'https://dicom.healthcareapis.azure.com/.default';

const ENTRA_HOST = 'login.microsoftonline.com';
/** Entra ID's public, US government and China clouds. */
const ENTRA_HOSTS = new Set([
  ENTRA_HOST,
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
]);

// A directory GUID or a domain such as contoso.onmicrosoft.com; nothing that could add
// path segments or a host to the token endpoint built from it.
const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9.-]{0,253}$/;

// The Azure DICOM API version segment: v1, v2, and older forms such as v1.0-prerelease.
const API_VERSION_SEGMENT = /^v[12](?:[.-]|$)/;

export function isTenantId(text: string): boolean {
  return TENANT_ID.test(text);
}

export function entraTokenEndpoint(tenantId: string): string {
  return `https://${ENTRA_HOST}/${tenantId}/oauth2/v2.0/token`;
}

/** Compares the host exactly: a suffix or substring match would accept look-alike hosts. */
export function isEntraTokenEndpoint(url: string): boolean {
  return ENTRA_HOSTS.has(URL.parse(url)?.hostname ?? '');
}

/** Azure DICOM answers 404 to every request whose base URL lacks the API version. */
export function hasAzureApiVersion(url: string): boolean {
  const segments = URL.parse(url)?.pathname.split('/') ?? [];
  return segments.some((segment) => API_VERSION_SEGMENT.test(segment));
}
