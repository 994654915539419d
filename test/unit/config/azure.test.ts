import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AZURE_DICOM_SCOPE, hasAzureApiVersion } from '../../../src/config/azure.ts';
import { assertProblems, loadServer, noteLines, onlyServer } from './fixtures.ts';

const at = 'DicomWebOAuth.Servers.s';
const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const v2 = 'https://ws-svc.dicom.azurehealthcareapis.com/v2/';
const entra = `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`;

describe('Azure', () => {
  it('derives the Entra ID token endpoint from TenantId', async (t) => {
    const overrides = {
      ProviderType: 'azure',
      TenantId: tenant,
      TokenEndpoint: undefined,
      Url: v2,
    };

    const server = onlyServer(await loadServer(t, overrides));

    assert.equal(server.tokenEndpoint, entra);
    assert.equal(server.tenantId, tenant);
  });

  it('prefers a TokenEndpoint given explicitly over the derived one', async (t) => {
    const own = 'https://login.microsoftonline.us/x/oauth2/v2.0/token';
    const overrides = { ProviderType: 'azure', TenantId: tenant, TokenEndpoint: own, Url: v2 };

    assert.equal(onlyServer(await loadServer(t, overrides)).tokenEndpoint, own);
  });

  it('defaults the scope to the Azure DICOM service and keeps a given one', async (t) => {
    const azure = { ProviderType: 'azure', Url: v2 };

    assert.equal(onlyServer(await loadServer(t, azure)).scope, AZURE_DICOM_SCOPE);
    assert.equal(
      onlyServer(await loadServer(t, { ...azure, Scope: 'api://x/.default' })).scope,
      'api://x/.default',
    );
    assert.equal(onlyServer(await loadServer(t, { Url: v2 })).scope, undefined);
  });

  it('needs TenantId or TokenEndpoint, and says TenantId derives it only for azure', async (t) => {
    assertProblems(
      await loadServer(t, { ProviderType: 'azure', TokenEndpoint: undefined, Url: v2 }),
      [
        `${at}.TokenEndpoint: is required (or TenantId, from which the Entra ID endpoint is derived)`,
      ],
    );
    assertProblems(await loadServer(t, { TenantId: tenant, TokenEndpoint: undefined }), [
      `${at}.TokenEndpoint: is required; it is derived from TenantId only when ProviderType is "azure"`,
    ]);
  });

  it('reports only the TenantId when a bad one leaves nothing to derive from', async (t) => {
    const overrides = { ProviderType: 'azure', TenantId: 'a/b', TokenEndpoint: undefined, Url: v2 };

    assertProblems(await loadServer(t, overrides), [
      `${at}.TenantId: must be a directory ID or domain of letters, digits, "." and "-" ` +
        '(received "a/b")',
    ]);
  });

  it('warns when an Azure base URL lacks the /v1 or /v2 API version', async (t) => {
    const url = 'https://ws-svc.dicom.azurehealthcareapis.com/';

    const result = await loadServer(t, { ProviderType: 'azure', Url: url });

    assert.equal(onlyServer(result).url, url);
    assert.deepEqual(noteLines(result), [
      `warn ${at}.Url: Azure DICOM base URLs need the API version, e.g. "${url}v2/"`,
    ]);
  });

  it('warns for ProviderType auto when the token endpoint is Entra ID', async (t) => {
    const url = 'https://ws-svc.dicom.azurehealthcareapis.com';

    const result = await loadServer(t, { TokenEndpoint: entra, Url: url });

    assert.deepEqual(noteLines(result), [
      `warn ${at}.Url: Azure DICOM base URLs need the API version, e.g. "${url}/v2/"`,
    ]);
  });

  it('defaults the scope to the DICOM resource when auto detects Entra ID, in every cloud', async (t) => {
    for (const host of ['login.microsoftonline.com', 'login.microsoftonline.us']) {
      const result = await loadServer(t, {
        TokenEndpoint: `https://${host}/t/oauth2/v2.0/token`,
        Url: 'https://ws-svc.dicom.azurehealthcareapis.com/v2/',
      });

      assert.equal(onlyServer(result).scope, 'https://dicom.healthcareapis.azure.com/.default');
    }
    const lookAlike = 'https://login.microsoftonline.com.evil.example/t/oauth2/v2.0/token';
    const other = await loadServer(t, { TokenEndpoint: lookAlike, Url: 'https://a.example/' });
    assert.equal(onlyServer(other).scope, undefined);
  });

  it('does not warn for another provider, or for a look-alike Entra host', async (t) => {
    const url = 'https://dicom.example.com/';
    const lookAlike = 'https://login.microsoftonline.com.evil.example/t/oauth2/v2.0/token';

    assert.deepEqual(
      (await loadServer(t, { ProviderType: 'generic', TokenEndpoint: entra, Url: url })).notes,
      [],
    );
    assert.deepEqual((await loadServer(t, { TokenEndpoint: lookAlike, Url: url })).notes, []);
  });
});

describe('hasAzureApiVersion', () => {
  it('looks for a whole v1 or v2 path segment', () => {
    assert.equal(hasAzureApiVersion('https://a.example/v1/'), true);
    assert.equal(hasAzureApiVersion('https://a.example/v2/'), true);
    assert.equal(hasAzureApiVersion('https://a.example/v1.0-prerelease/'), true);
    assert.equal(hasAzureApiVersion('https://a.example/dicom/v2/'), true);
    assert.equal(hasAzureApiVersion('https://a.example/v3/'), false);
    assert.equal(hasAzureApiVersion('https://a.example/v20/'), false);
    assert.equal(hasAzureApiVersion('https://v2.example/'), false);
  });
});
