import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../src/config/load.ts';
import { ConfigReport } from '../../../src/config/report.ts';
import { validateSection } from '../../../src/config/schema.ts';
import type { LoadResult } from '../../../src/config/types.ts';
import { onlyServer, tempDir, validServer } from './fixtures.ts';

const INLINE = 'Inline-S3cret-7f3a91c2';
// Quotes and a backslash: JSON.stringify would spell it differently in a message.
const FROM_ENV = 'Env-S3cret-"q"\\-9b1c44';
const FROM_FILE = 'File-S3cret-0d2e55aa';
const SECRETS = [INLINE, FROM_ENV, JSON.stringify(FROM_ENV).slice(1, -1), FROM_FILE];

/**
 * Everything a caller might print or log: the result without the config object, as JSON
 * and as plain lines (JSON escapes quotes and backslashes, which could hide a secret).
 */
function printable(result: LoadResult): string {
  const { problems, notes } = result.ok ? { problems: [], notes: result.notes } : result;
  const lines = [...problems, ...notes].map((item) => `${item.path}: ${item.message}`);

  return [JSON.stringify({ ok: result.ok, problems, notes }), ...lines].join('\n');
}

function assertNoSecret(text: string): void {
  for (const secret of SECRETS) {
    assert.equal(text.includes(secret), false, `a secret leaked into: ${text}`);
  }
}

describe('secrets in problems and notes', () => {
  it('never appear, whatever else is wrong with the file', async (t) => {
    const tmp = await tempDir(t);
    const secretFile = await tmp.write('secret.txt', `${FROM_FILE}\n`);
    const section = {
      // Secrets pasted into keys whose values are quoted in problems.
      LogLevel: INLINE,
      LogFormat: '${OAUTH_SECRET}',
      Listen: `${FROM_FILE}:80`,
      Nonsense: FROM_ENV,
      Servers: {
        inline: validServer({ ClientSecret: INLINE, Url: 'ftp://x/', TokenWaitSeconds: -1 }),
        env: validServer({
          ClientSecret: '${OAUTH_SECRET}',
          TokenEndpoint: 'http://idp.example.com/token',
          ProviderType: '${OAUTH_SECRET}',
          ClientSecert: INLINE,
          VerifySSL: false,
        }),
        file: validServer({
          ClientSecret: undefined,
          ClientSecretFile: secretFile,
          ClientAuthMethod: FROM_FILE,
          Url: `https://user:${INLINE}@dicom.example.com/?sig=${FROM_ENV}`,
          Scope: 7,
        }),
        both: validServer({ ClientSecret: INLINE, ClientSecretFile: secretFile }),
        'bad name': validServer({ ClientSecret: FROM_ENV, ClientId: '' }),
        missing: validServer({ ClientSecret: '${NOT_SET}' }),
      },
    };
    const path = await tmp.write('orthanc.json', JSON.stringify({ DicomWebOAuth: section }));

    const result = await loadConfig(path, { OAUTH_SECRET: FROM_ENV });

    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.problems.length >= 12, printable(result));
    assertNoSecret(printable(result));
    // The rules quote the keys holding secrets by mistake; the redaction pass masks them.
    assert.match(printable(result), /\[redacted\]/);
  });

  it('never appear in the notes of a configuration that loads', async (t) => {
    const tmp = await tempDir(t);
    const secretFile = await tmp.write('secret.txt', FROM_FILE);
    const servers = {
      a: validServer({ ClientSecret: INLINE, VerifySSL: false, Extra: INLINE }),
      b: validServer({ ClientSecret: '${OAUTH_SECRET}', ClientSecretFil: FROM_ENV }),
      c: validServer({ ClientSecret: undefined, ClientSecretFile: secretFile }),
    };
    const text = JSON.stringify({ DicomWebOAuth: { ConfigPath: FROM_FILE, Servers: servers } });
    const path = await tmp.write('orthanc.json', text);

    const result = await loadConfig(path, { OAUTH_SECRET: FROM_ENV });

    assert.equal(result.ok && result.config.servers.get('b')?.clientSecret, FROM_ENV);
    assert.ok(result.notes.length >= 4);
    assertNoSecret(printable(result));
  });

  it('never appear when a variable of a secret is also used in a quoted key', async (t) => {
    const tmp = await tempDir(t);
    const server = validServer({ ClientSecret: 'prefix-${PART}' });
    const section = { LogFormat: '${PART}', Servers: { s: server } };
    const path = await tmp.write('o.json', JSON.stringify({ DicomWebOAuth: section }));

    const result = await loadConfig(path, { PART: FROM_FILE });

    assert.deepEqual(result.ok ? [] : result.problems, [
      {
        path: 'DicomWebOAuth.LogFormat',
        message: 'must be one of "json", "text" (received "[redacted]")',
      },
    ]);
  });

  it('never appear in a JSON syntax error on the line of a secret', async (t) => {
    const tmp = await tempDir(t);
    const path = await tmp.write('orthanc.json', `{"DicomWebOAuth": {"ClientSecret": ${INLINE}}}`);

    const result = await loadConfig(path, {});

    assert.equal(result.ok, false);
    assertNoSecret(printable(result));
  });

  it('are still delivered intact to the configuration itself', async (t) => {
    const tmp = await tempDir(t);
    const server = validServer({ ClientSecret: '${OAUTH_SECRET}' });
    const path = await tmp.write(
      'o.json',
      JSON.stringify({ DicomWebOAuth: { Servers: { s: server } } }),
    );

    const result = await loadConfig(path, { OAUTH_SECRET: FROM_ENV });

    assert.equal(onlyServer(result).clientSecret, FROM_ENV);
  });

  it('are never quoted by the rules themselves, before the redaction pass', async (t) => {
    const tmp = await tempDir(t);
    const secretFile = await tmp.write('secret.txt', FROM_FILE);
    const report = new ConfigReport();
    const servers = {
      a: validServer({ ClientSecret: INLINE, Url: 'x', TokenWaitSeconds: 0 }),
      b: validServer({ ClientSecret: FROM_ENV, ClientSecretFile: secretFile }),
      c: validServer({ ClientSecret: undefined, ClientSecretFile: secretFile, ClientId: 5 }),
    };

    // Through JSON, as the loader sees it: keys set to undefined disappear.
    const section: unknown = JSON.parse(JSON.stringify({ Servers: servers, LogLevel: 'loud' }));

    await validateSection(section, { report, baseDir: tmp.dir });

    const lines = [...report.problems, ...report.notes].map((p) => `${p.path}: ${p.message}`);
    assert.equal(report.problems.length, 5, lines.join('\n'));
    assertNoSecret(lines.join('\n'));
    assert.deepEqual([...report.secrets].sort(), [INLINE, FROM_ENV, FROM_FILE].sort());
  });
});
