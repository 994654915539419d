import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertOk, assertProblems, loadSection, noteLines, validServer } from './fixtures.ts';

const servers = { a: validServer() };

describe('global keys of DicomWebOAuth', () => {
  it('reads LogLevel in any case and takes WARNING for warn', async (t) => {
    const cases = [
      ['TRACE', 'trace'],
      ['Debug', 'debug'],
      ['INFO', 'info'],
      ['warn', 'warn'],
      ['WARNING', 'warn'],
      ['warning', 'warn'],
      ['Error', 'error'],
      ['FATAL', 'fatal'],
      ['silent', 'silent'],
    ];
    for (const [given, expected] of cases) {
      const config = assertOk(await loadSection(t, { LogLevel: given, Servers: servers }));

      assert.equal(config.logLevel, expected, `LogLevel ${given}`);
    }
  });

  it('refuses an unknown LogLevel and LogFormat, listing the accepted values', async (t) => {
    const result = await loadSection(t, {
      LogLevel: 'verbose',
      LogFormat: 'xml',
      Servers: servers,
    });

    assertProblems(result, [
      'DicomWebOAuth.LogFormat: must be one of "json", "text" (received "xml")',
      'DicomWebOAuth.LogLevel: must be one of "trace", "debug", "info", "warn", "error", ' +
        '"fatal", "silent" (received "verbose")',
    ]);
  });

  it('takes LogFormat exactly as written', async (t) => {
    const result = await loadSection(t, { LogFormat: 'JSON', Servers: servers });

    assertProblems(result, [
      'DicomWebOAuth.LogFormat: must be one of "json", "text" (received "JSON")',
    ]);
  });

  it('refuses a Listen address that is not host:port with an IP or localhost', async (t) => {
    const cases = [
      ['example.com:80', 'host must be an IP address or localhost (received "example.com:80")'],
      ['127.0.0.1:70000', 'port must be a number from 0 to 65535 (received "127.0.0.1:70000")'],
      [
        '::1:80',
        'must be "host:port", an IPv6 host in brackets as in "[::1]:8089" (received "::1:80")',
      ],
    ];
    for (const [listen, message] of cases) {
      const result = await loadSection(t, { Listen: listen, Servers: servers });

      assertProblems(result, [`DicomWebOAuth.Listen: ${message}`]);
    }
  });

  it('refuses a Listen that is not a string', async (t) => {
    const result = await loadSection(t, { Listen: 8089, Servers: servers });

    assertProblems(result, ['DicomWebOAuth.Listen: must be a non-empty string (received 8089)']);
  });

  it('requires Servers with at least one server', async (t) => {
    assertProblems(await loadSection(t, {}), [
      'DicomWebOAuth.Servers: is required: an object with one entry per DICOMweb server',
    ]);
    assertProblems(await loadSection(t, { Servers: {} }), [
      'DicomWebOAuth.Servers: must define at least one server',
    ]);
    assertProblems(await loadSection(t, { Servers: [validServer()] }), [
      'DicomWebOAuth.Servers: must be an object (received an array)',
    ]);
  });

  it('requires the section and each server to be objects', async (t) => {
    assertProblems(await loadSection(t, 'on'), [
      'DicomWebOAuth: must be an object (received a string)',
    ]);
    assertProblems(await loadSection(t, { Servers: { a: null } }), [
      'DicomWebOAuth.Servers.a: must be an object (received null)',
    ]);
  });

  it('accepts the unused keys of the earlier plugin with a debug note for each', async (t) => {
    const section = {
      MaxCachedServers: 100,
      EnableConfigReload: true,
      ConfigPath: '/etc/orthanc/orthanc.json',
      Servers: servers,
    };

    const result = await loadSection(t, section);

    assertOk(result);
    const ignored = 'accepted for compatibility with the earlier plugin, ignored by this version';
    assert.deepEqual(noteLines(result), [
      `debug DicomWebOAuth.MaxCachedServers: ${ignored}`,
      `debug DicomWebOAuth.EnableConfigReload: ${ignored}`,
      `debug DicomWebOAuth.ConfigPath: ${ignored}`,
    ]);
  });

  it('still checks the types of the unused keys of the earlier plugin', async (t) => {
    const section = {
      MaxCachedServers: 0,
      EnableConfigReload: 'yes',
      ConfigPath: '',
      Servers: servers,
    };

    assertProblems(await loadSection(t, section), [
      'DicomWebOAuth.MaxCachedServers: must be a whole number above 0 (received 0)',
      'DicomWebOAuth.EnableConfigReload: must be true or false (received "yes")',
      'DicomWebOAuth.ConfigPath: must be a non-empty string (received "")',
    ]);
    assertProblems(await loadSection(t, { MaxCachedServers: 2.5, Servers: servers }), [
      'DicomWebOAuth.MaxCachedServers: must be a whole number above 0 (received 2.5)',
    ]);
  });

  it('warns about an unknown global key, suggesting the key it resembles', async (t) => {
    const result = await loadSection(t, { LogLevl: 'debug', Colour: 'blue', Servers: servers });

    assert.equal(assertOk(result).logLevel, 'info');
    assert.deepEqual(noteLines(result), [
      'warn DicomWebOAuth.LogLevl: unknown key, ignored; did you mean "LogLevel"?',
      'warn DicomWebOAuth.Colour: unknown key, ignored',
    ]);
  });
});
