import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertOk, loadSection, loadServer, noteLines, onlyServer } from './fixtures.ts';

describe('defaults', () => {
  it('fills every global default around the servers', async (t) => {
    const config = assertOk(await loadSection(t, { Servers: { s: { ...minimalServer } } }));

    assert.deepEqual(config.listen, { host: '127.0.0.1', port: 8089 });
    assert.equal(config.logFormat, 'json');
    assert.equal(config.logLevel, 'info');
  });

  it('fills every server default and normalises the URL', async (t) => {
    const result = await loadSection(t, { Servers: { s: { ...minimalServer } } });

    assert.deepEqual(onlyServer(result), {
      name: 's',
      url: 'https://dicom.example.com/dicom-web/',
      tokenEndpoint: 'https://idp.example.com/token',
      clientId: 'id',
      clientSecret: 'secret-1',
      clientAuthMethod: 'client_secret_post',
      scope: undefined,
      providerType: 'auto',
      tenantId: undefined,
      refreshBufferSeconds: 300,
      tokenWaitSeconds: 15,
      tokenTimeoutSeconds: 10,
      upstreamTimeoutSeconds: 300,
      upstreamIdleSeconds: 300,
      tls: { verify: true },
    });
    assert.deepEqual(result.notes, []);
  });

  it('takes every key when given, in place of its default', async (t) => {
    const section = {
      Listen: '[::1]:9000',
      LogFormat: 'text',
      LogLevel: 'debug',
      Servers: {
        s: {
          ...minimalServer,
          ClientAuthMethod: 'client_secret_basic',
          Scope: '  read write ',
          ProviderType: 'keycloak',
          TenantId: 'ignored-unless-azure',
          TokenRefreshBufferSeconds: 0,
          TokenWaitSeconds: 2.5,
          TokenTimeoutSeconds: 3,
          UpstreamTimeoutSeconds: 4,
          UpstreamIdleSeconds: 5,
          VerifySSL: true,
        },
      },
    };

    const result = await loadSection(t, section);
    const config = assertOk(result);
    const server = onlyServer(result);

    assert.deepEqual(config.listen, { host: '::1', port: 9000 });
    assert.equal(config.logFormat, 'text');
    assert.equal(config.logLevel, 'debug');
    assert.equal(server.clientAuthMethod, 'client_secret_basic');
    assert.equal(server.scope, 'read write');
    assert.equal(server.providerType, 'keycloak');
    assert.equal(server.tenantId, 'ignored-unless-azure');
    assert.deepEqual(
      [
        server.refreshBufferSeconds,
        server.tokenWaitSeconds,
        server.tokenTimeoutSeconds,
        server.upstreamTimeoutSeconds,
        server.upstreamIdleSeconds,
      ],
      [0, 2.5, 3, 4, 5],
    );
    assert.deepEqual(server.tls, { verify: true });
    assert.deepEqual(noteLines(result), []);
  });

  it('keeps servers in the order of the file, keyed by name', async (t) => {
    const servers = { zeta: { ...minimalServer }, alpha: { ...minimalServer } };

    const config = assertOk(await loadSection(t, { Servers: servers }));

    assert.deepEqual([...config.servers.keys()], ['zeta', 'alpha']);
    assert.equal(config.servers.get('alpha')?.name, 'alpha');
  });

  it('accepts every ProviderType and keeps auto for the token layer to resolve', async (t) => {
    for (const providerType of ['auto', 'generic', 'google', 'keycloak', 'azure']) {
      const server = onlyServer(await loadServer(t, { ProviderType: providerType, Url: v2 }));

      assert.equal(server.providerType, providerType);
    }
  });
});

const v2 = 'https://ws-svc.dicom.azurehealthcareapis.com/v2/';

const minimalServer = {
  Url: 'https://dicom.example.com/dicom-web',
  TokenEndpoint: 'https://idp.example.com/token',
  ClientId: 'id',
  ClientSecret: 'secret-1',
};
