import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../src/config/load.ts';
import { assertProblems, loadSection, noteLines, tempDir, validServer } from './fixtures.ts';

describe('loadConfig', () => {
  it('reports every problem at once, each with its JSON path', async (t) => {
    const section = {
      Listen: 'localhost',
      LogFormat: 'yaml',
      Servers: {
        azure: {
          Url: 'https://ws-svc.dicom.azurehealthcareapis.com/v2/',
          ProviderType: 'azure',
          ClientId: 'id',
          ClientSecret: 'x-secret',
          TokenTimeoutSeconds: 'ten',
        },
        local: validServer({ TokenEndpoint: 'http://10.0.0.1/token', ClientId: undefined }),
        fine: validServer(),
      },
    };

    assertProblems(await loadSection(t, section), [
      'DicomWebOAuth.Listen: must be "host:port", an IPv6 host in brackets as in "[::1]:8089" ' +
        '(received "localhost")',
      'DicomWebOAuth.LogFormat: must be one of "json", "text" (received "yaml")',
      'DicomWebOAuth.Servers.azure.TokenEndpoint: is required (or TenantId, from which the ' +
        'Entra ID endpoint is derived)',
      'DicomWebOAuth.Servers.azure.TokenTimeoutSeconds: must be a number of seconds greater ' +
        'than 0 and at most 86400 (received "ten")',
      'DicomWebOAuth.Servers.local.TokenEndpoint: must be an https URL; http is allowed only ' +
        'for a loopback host (received "http://10.0.0.1/token")',
      'DicomWebOAuth.Servers.local.ClientId: is required',
    ]);
  });

  it('returns the notes gathered before it found problems', async (t) => {
    const result = await loadSection(t, { Verbose: true, Servers: { a: { Url: 1 } } });

    assert.equal(result.ok, false);
    assert.deepEqual(noteLines(result), ['warn DicomWebOAuth.Verbose: unknown key, ignored']);
  });

  it('reads the environment from process.env when none is passed', async (t) => {
    const tmp = await tempDir(t);
    const name = 'DICOMWEB_OAUTH_TEST_CLIENT_ID';
    process.env[name] = 'from-process-env';
    t.after(() => delete process.env[name]);
    const server = validServer({ ClientId: `\${${name}}` });
    const path = await tmp.write(
      'o.json',
      JSON.stringify({ DicomWebOAuth: { Servers: { s: server } } }),
    );

    const result = await loadConfig(path);

    assert.equal(result.ok && result.config.servers.get('s')?.clientId, 'from-process-env');
  });

  it('leaves the sections that belong to Orthanc alone', async (t) => {
    const tmp = await tempDir(t);
    const text = JSON.stringify({
      Name: '${ORTHANC_NAME}',
      DicomWeb: { Servers: { x: ['http://a/', 'u', 'p'] } },
      DicomWebOAuth: { Servers: { s: validServer() } },
    });
    const path = await tmp.write('orthanc.json', text);

    const result = await loadConfig(path, {});

    assert.equal(result.ok, true);
    assert.deepEqual(result.notes, []);
  });
});
