import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assertProblems,
  loadSection,
  loadServer,
  noteLines,
  onlyServer,
  validServer,
} from './fixtures.ts';

const at = 'DicomWebOAuth.Servers.s';

describe('server names', () => {
  it('accepts letters, digits, dot, underscore and dash up to 64 characters', async (t) => {
    const name = `Az-09._${'x'.repeat(57)}`;

    const result = await loadSection(t, { Servers: { [name]: validServer() } });

    assert.equal(onlyServer(result).name, name);
  });

  it('refuses names that are not a safe URL path segment', async (t) => {
    const rule =
      'server name must be 1 to 64 characters of A-Z a-z 0-9 . _ -, not "." or "..", ' +
      'as it is a URL path segment';
    for (const name of ['a b', 'a/b', '..', '.', '', 'é', 'x'.repeat(65)]) {
      const result = await loadSection(t, { Servers: { [name]: validServer() } });

      assertProblems(result, [
        `DicomWebOAuth.Servers.${name}: ${rule} (received ${JSON.stringify(name)})`,
      ]);
    }
  });
});

describe('Url', () => {
  it('is required', async (t) => {
    assertProblems(await loadServer(t, { Url: undefined }), [`${at}.Url: is required`]);
  });

  it('must be an absolute http(s) URL without query or fragment', async (t) => {
    const cases = [
      [
        'dicom.example.com/v2',
        'must be an absolute http or https URL (received "dicom.example.com/v2")',
      ],
      [
        'https://d.example/?a=1',
        'must not have a query string (received "https://d.example/?...")',
      ],
      [
        'https://d.example/#top',
        'must not have a fragment (#...) (received "https://d.example/#...")',
      ],
      [42, 'must be a non-empty string (received 42)'],
    ];
    for (const [url, message] of cases) {
      assertProblems(await loadServer(t, { Url: url }), [`${at}.Url: ${message}`]);
    }
  });

  it('never shows the user info of a URL it refuses', async (t) => {
    const result = await loadServer(t, { Url: 'https://admin:hunter2@d.example/' });

    assertProblems(result, [
      `${at}.Url: must not contain a user name or password (received "https://...@d.example/")`,
    ]);
  });

  it('warns when the token would travel over plain http to another host', async (t) => {
    const result = await loadServer(t, { Url: 'http://pacs.example/dicom-web' });

    assert.equal(onlyServer(result).url, 'http://pacs.example/dicom-web/');
    assert.deepEqual(noteLines(result), [
      `warn ${at}.Url: uses plain http to a host that is not loopback: tokens travel unencrypted`,
    ]);
  });

  it('accepts plain http to loopback without a warning', async (t) => {
    const result = await loadServer(t, { Url: 'http://127.0.0.1:8042/dicom-web/' });

    assert.equal(onlyServer(result).url, 'http://127.0.0.1:8042/dicom-web/');
    assert.deepEqual(result.notes, []);
  });
});

describe('TokenEndpoint', () => {
  it('is required for a provider it cannot be derived for', async (t) => {
    assertProblems(await loadServer(t, { TokenEndpoint: undefined }), [
      `${at}.TokenEndpoint: is required`,
    ]);
  });

  it('allows http only when the host is loopback', async (t) => {
    for (const endpoint of [
      'http://127.0.0.1:9000/token',
      'http://[::1]/t',
      'http://localhost/t',
    ]) {
      assert.equal(
        onlyServer(await loadServer(t, { TokenEndpoint: endpoint })).tokenEndpoint,
        endpoint,
      );
    }

    assertProblems(await loadServer(t, { TokenEndpoint: 'http://idp.example.com/token' }), [
      `${at}.TokenEndpoint: must be an https URL; http is allowed only for a loopback host ` +
        '(received "http://idp.example.com/token")',
    ]);
  });
});

describe('client credentials', () => {
  it('require a non-empty ClientId', async (t) => {
    assertProblems(await loadServer(t, { ClientId: undefined }), [`${at}.ClientId: is required`]);
    assertProblems(await loadServer(t, { ClientId: '  ' }), [
      `${at}.ClientId: must be a non-empty string (received "  ")`,
    ]);
  });

  it('require a ClientSecret and describe a wrong one by its kind only', async (t) => {
    assertProblems(await loadServer(t, { ClientSecret: undefined }), [
      `${at}.ClientSecret: is required (or ClientSecretFile, a file holding it)`,
    ]);
    assertProblems(await loadServer(t, { ClientSecret: 12345678 }), [
      `${at}.ClientSecret: must be a non-empty string (received a number)`,
    ]);
    assertProblems(await loadServer(t, { ClientSecret: ' ' }), [
      `${at}.ClientSecret: must be a non-empty string (received a blank string)`,
    ]);
  });

  it('take ClientAuthMethod as post by default or basic', async (t) => {
    const basic = onlyServer(await loadServer(t, { ClientAuthMethod: 'client_secret_basic' }));
    assert.equal(basic.clientAuthMethod, 'client_secret_basic');

    assertProblems(await loadServer(t, { ClientAuthMethod: 'basic' }), [
      `${at}.ClientAuthMethod: must be one of "client_secret_post", "client_secret_basic" ` +
        '(received "basic")',
    ]);
  });
});

describe('Scope, ProviderType and TenantId', () => {
  it('refuse a blank Scope and an unknown ProviderType', async (t) => {
    assertProblems(await loadServer(t, { Scope: ' \t' }), [
      `${at}.Scope: must be a non-empty string (received " \\t")`,
    ]);
    assertProblems(await loadServer(t, { ProviderType: 'okta' }), [
      `${at}.ProviderType: must be one of "auto", "generic", "azure", "google", "keycloak" ` +
        '(received "okta")',
    ]);
  });

  it('refuse a TenantId that could reshape the derived token endpoint', async (t) => {
    const result = await loadServer(t, { TenantId: '../evil.example/x', ProviderType: 'azure' });

    assertProblems(result, [
      `${at}.TenantId: must be a directory ID or domain of letters, digits, "." and "-" ` +
        '(received "../evil.example/x")',
    ]);
  });
});

describe('durations in seconds', () => {
  const positive = [
    'TokenWaitSeconds',
    'TokenTimeoutSeconds',
    'UpstreamTimeoutSeconds',
    'UpstreamIdleSeconds',
  ];

  it('accept 0 for TokenRefreshBufferSeconds but not less', async (t) => {
    assert.equal(
      onlyServer(await loadServer(t, { TokenRefreshBufferSeconds: 0 })).refreshBufferSeconds,
      0,
    );

    assertProblems(await loadServer(t, { TokenRefreshBufferSeconds: -1 }), [
      `${at}.TokenRefreshBufferSeconds: must be a number of seconds at least 0 and at most 86400 ` +
        '(received -1)',
    ]);
  });

  it('must be greater than 0 for every timeout', async (t) => {
    for (const key of positive) {
      assertProblems(await loadServer(t, { [key]: 0 }), [
        `${at}.${key}: must be a number of seconds greater than 0 and at most 86400 (received 0)`,
      ]);
    }
  });

  it('refuse strings and values above a day, which Node timers cannot hold', async (t) => {
    const rule = 'must be a number of seconds greater than 0 and at most 86400';
    assertProblems(await loadServer(t, { TokenWaitSeconds: '15' }), [
      `${at}.TokenWaitSeconds: ${rule} (received "15")`,
    ]);
    assertProblems(await loadServer(t, { UpstreamIdleSeconds: 86_401 }), [
      `${at}.UpstreamIdleSeconds: ${rule} (received 86401)`,
    ]);
  });
});

describe('unknown server keys', () => {
  it('warn with the full path and the likely intended key', async (t) => {
    const result = await loadServer(t, { ClientSecert: 'x', HttpHeaders: {}, verifyssl: false });

    assert.equal(onlyServer(result).tls.verify, true);
    assert.deepEqual(noteLines(result), [
      `warn ${at}.ClientSecert: unknown key, ignored; did you mean "ClientSecret"?`,
      `warn ${at}.HttpHeaders: unknown key, ignored`,
      `warn ${at}.verifyssl: unknown key, ignored; did you mean "VerifySSL"?`,
    ]);
  });
});
