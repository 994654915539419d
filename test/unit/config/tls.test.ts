import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertProblems, loadServer, noteLines, onlyServer, tempDir } from './fixtures.ts';

const at = 'DicomWebOAuth.Servers.s';

// Only the markers matter: the loader checks content, Node parses certificates later.
const PEM = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBszCCAVmgAwIBAgIUBogusButPemShapedBase64ContentOnly0wCgYIKoZIzj0E',
  '-----END CERTIFICATE-----',
  '',
].join('\n');

describe('VerifySSL', () => {
  it('is on by default and when true', async (t) => {
    assert.deepEqual(onlyServer(await loadServer(t)).tls, { verify: true });
    assert.deepEqual(onlyServer(await loadServer(t, { VerifySSL: true })).tls, { verify: true });
  });

  it('turned off gives a warning naming the server', async (t) => {
    const result = await loadServer(t, { VerifySSL: false });

    assert.deepEqual(onlyServer(result).tls, { verify: false });
    assert.deepEqual(noteLines(result), [
      `warn ${at}.VerifySSL: TLS verification is off for server s`,
    ]);
  });

  it('as a path reads the PEM CA bundle at load and keeps verification on', async (t) => {
    const tmp = await tempDir(t);
    const file = await tmp.write('ca.pem', PEM);

    const result = await loadServer(t, { VerifySSL: file });

    assert.deepEqual(onlyServer(result).tls, { verify: true, ca: PEM, caFile: file });
    assert.deepEqual(result.notes, []);
  });

  it('reports an unreadable bundle and one without a certificate, naming the path', async (t) => {
    const tmp = await tempDir(t);
    const missing = join(tmp.dir, 'missing.pem');
    const key = await tmp.write('key.pem', '-----BEGIN PRIVATE KEY-----\nabc\n');

    assertProblems(await loadServer(t, { VerifySSL: missing }), [
      `${at}.VerifySSL: cannot read the CA bundle ${JSON.stringify(missing)}: it does not exist`,
    ]);
    assertProblems(await loadServer(t, { VerifySSL: key }), [
      `${at}.VerifySSL: the CA bundle ${JSON.stringify(key)} holds no ` +
        '"-----BEGIN CERTIFICATE-----" line',
    ]);
  });

  it('refuses other types and an empty path', async (t) => {
    const rule = 'must be true, false or the path of a PEM CA bundle';
    assertProblems(await loadServer(t, { VerifySSL: 0 }), [
      `${at}.VerifySSL: ${rule} (received 0)`,
    ]);
    assertProblems(await loadServer(t, { VerifySSL: '' }), [
      `${at}.VerifySSL: ${rule} (received "")`,
    ]);
  });
});
