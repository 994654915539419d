import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../src/config/load.ts';
import { assertProblems, loadServer, onlyServer, tempDir, validServer } from './fixtures.ts';

const at = 'DicomWebOAuth.Servers.s';

describe('ClientSecretFile', () => {
  it('reads the secret from the file, trimming the trailing newline', async (t) => {
    const tmp = await tempDir(t);
    const file = await tmp.write('secret.txt', '  from-a-file \n');

    const result = await loadServer(t, { ClientSecret: undefined, ClientSecretFile: file });

    assert.equal(onlyServer(result).clientSecret, 'from-a-file');
  });

  it('takes a relative path from the directory of the configuration', async (t) => {
    const tmp = await tempDir(t);
    await tmp.write('secret.txt', 'relative-secret');
    const server = validServer({ ClientSecret: undefined, ClientSecretFile: 'secret.txt' });
    const config = JSON.stringify({ DicomWebOAuth: { Servers: { s: server } } });
    const path = await tmp.write('orthanc.json', config);

    const result = await loadConfig(path, {});

    assert.equal(onlyServer(result).clientSecret, 'relative-secret');
  });

  it('reports a missing or empty file naming its path', async (t) => {
    const tmp = await tempDir(t);
    const missing = join(tmp.dir, 'nope.txt');
    const empty = await tmp.write('empty.txt', ' \n\n');

    assertProblems(await loadServer(t, { ClientSecret: undefined, ClientSecretFile: missing }), [
      `${at}.ClientSecretFile: cannot read ${JSON.stringify(missing)}: it does not exist`,
    ]);
    assertProblems(await loadServer(t, { ClientSecret: undefined, ClientSecretFile: empty }), [
      `${at}.ClientSecretFile: ${JSON.stringify(empty)} is empty`,
    ]);
  });

  it('reports a directory given as the file', async (t) => {
    const tmp = await tempDir(t);

    assertProblems(await loadServer(t, { ClientSecret: undefined, ClientSecretFile: tmp.dir }), [
      `${at}.ClientSecretFile: cannot read ${JSON.stringify(tmp.dir)}: it is a directory`,
    ]);
  });

  it('refuses ClientSecret and ClientSecretFile together', async (t) => {
    const tmp = await tempDir(t);
    const file = await tmp.write('secret.txt', 'x');

    assertProblems(await loadServer(t, { ClientSecretFile: file }), [
      `${at}.ClientSecretFile: give either ClientSecret or ClientSecretFile, not both`,
    ]);
  });
});
