import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createInterface } from 'node:readline';

const BIN = new URL('../../../bin/dicomweb-oauth.js', import.meta.url).pathname;
const SECRET = 'cli-secret-5b1c9a';
const dir = mkdtempSync(join(tmpdir(), 'dwo-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, section: unknown): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `// Orthanc-style comment\n${JSON.stringify({ DicomWebOAuth: section }, null, 2)}`,
  );
  return path;
}

const good = {
  Listen: '127.0.0.1:0',
  Servers: {
    cloud: {
      // Loopback only, and nothing listens on port 9: the start-up token fetch fails at once.
      Url: 'http://127.0.0.1:9/dicom-web/',
      TokenEndpoint: 'http://127.0.0.1:9/token',
      ClientId: 'cid',
      ClientSecret: SECRET,
    },
  },
};

function run(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 20_000 });
}

describe('dicomweb-oauth check', () => {
  it('exits 0 for a valid configuration and names its servers', () => {
    const result = run('check', '--config', configFile('good.json', good));

    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /valid: 1 server\(s\) \(cloud\)/);
  });

  it('exits 1 listing every problem by JSON path, without echoing the secret', () => {
    const bad = {
      Listen: '0.0.0.0:8089',
      Servers: {
        cloud: { ...good.Servers.cloud, Url: 'ftp://x', ClientSecret: 42, Scoep: SECRET },
      },
    };
    const result = run('check', '--config', configFile('bad.json', bad));

    assert.equal(result.status, 1);
    assert.match(result.stderr, /DicomWebOAuth\.Listen: /);
    assert.match(result.stderr, /DicomWebOAuth\.Servers\.cloud\.Url: /);
    assert.match(result.stderr, /DicomWebOAuth\.Servers\.cloud\.ClientSecret: /);
    assert.match(result.stderr, /DicomWebOAuth\.Servers\.cloud\.Scoep: unknown key/);
    assert.ok(!result.stderr.includes(SECRET) && !result.stdout.includes(SECRET));
  });

  it('names a missing environment variable', () => {
    const section = {
      ...good,
      Servers: { cloud: { ...good.Servers.cloud, ClientSecret: '${NO_SUCH_VAR_DWO}' } },
    };
    const result = run('check', '--config', configFile('env.json', section));

    assert.equal(result.status, 1);
    assert.match(result.stderr, /NO_SUCH_VAR_DWO/);
  });

  it('explains its usage when the command or --config is missing', () => {
    assert.equal(run().status, 2);
    assert.match(run('serve').stderr, /--config <path> is required/);
    assert.match(run('--version').stdout, /^\d+\.\d+\.\d+/);
  });
});

describe('dicomweb-oauth serve', () => {
  it('refuses to start on a broken configuration, exit code 1', () => {
    const result = run('serve', '--config', join(dir, 'missing.json'));

    assert.equal(result.status, 1);
    assert.match(result.stderr, /missing\.json/);
  });

  for (const format of ['json', 'text'] as const) {
    it(`logs in ${format}, answers status, and stops cleanly on SIGTERM`, async (t) => {
      const path = configFile(`serve-${format}.json`, { ...good, LogFormat: format });
      const child = spawn(process.execPath, [BIN, 'serve', '--config', path], { stdio: 'pipe' });
      t.after(() => child.kill('SIGKILL'));
      const output: string[] = [];
      child.stderr.on('data', (c: Buffer) => output.push(c.toString()));
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no listening line: ${output.join('')}`)),
          15_000,
        );
        createInterface({ input: child.stdout }).on('line', (line) => {
          output.push(`${line}\n`);
          const match = /"?port"?[=:]\s*(\d+)/.exec(line);
          if (line.includes('listening') && match) {
            clearTimeout(timer);
            resolve(Number(match[1]));
          }
        });
      });

      const status = await fetch(`http://127.0.0.1:${port}/dicomweb-oauth/status`);
      assert.equal(status.status, 200);
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

      assert.equal(code, 0);
      const text = output.join('');
      assert.match(text, /shutting down/);
      assert.match(text, /token request failed/);
      assert.match(text, /ERR_TOKEN_ENDPOINT_UNREACHABLE/);
      assert.ok(!text.includes(SECRET), 'the secret was printed');
      if (format === 'json') assert.doesNotThrow(() => JSON.parse(text.split('\n')[0] ?? ''));
      else assert.throws(() => JSON.parse(text.split('\n')[0] ?? ''));
    });
  }
});
