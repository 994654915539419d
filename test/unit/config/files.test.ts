import assert from 'node:assert/strict';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readConfigSource } from '../../../src/config/files.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { ConfigReport } from '../../../src/config/report.ts';
import { assertOk, assertProblems, noteLines, tempDir, validServer } from './fixtures.ts';

describe('readConfigSource', () => {
  it('reads one file and takes relative paths from its directory', async (t) => {
    const tmp = await tempDir(t);
    const file = await tmp.write('orthanc.json', '{ "Name": "x" /* comment */ }');
    const report = new ConfigReport();

    const source = await readConfigSource(file, report);

    assert.deepEqual(source, { root: { Name: 'x' }, baseDir: tmp.dir });
    assert.deepEqual(report.problems, []);
  });

  it('merges the .json files of a directory and ignores other files and folders', async (t) => {
    const tmp = await tempDir(t);
    await tmp.write('a.json', '{ "A": 1 }');
    await tmp.write('b.json', '// Orthanc files may have comments\n{ "B": 2 }');
    await tmp.write('notes.txt', '{ "C": 3 }');
    await tmp.write('c.json.bak', 'not json');
    await mkdir(join(tmp.dir, 'sub.json'));
    await mkdir(join(tmp.dir, 'nested'));
    await tmp.write('nested/d.json', '{ "D": 4 }');
    const report = new ConfigReport();

    const source = await readConfigSource(tmp.dir, report);

    assert.deepEqual(source, { root: { A: 1, B: 2 }, baseDir: tmp.dir });
  });

  it('reads files in name order, which the order of problems shows', async (t) => {
    const tmp = await tempDir(t);
    await tmp.write('b.json', '{');
    await tmp.write('a.json', '[');
    await tmp.write('C.json', '{');
    const report = new ConfigReport();

    await readConfigSource(tmp.dir, report);

    const files = report.problems.map((problem) => problem.path.split(':')[0]);
    assert.deepEqual(
      files,
      ['C.json', 'a.json', 'b.json'].map((name) => join(tmp.dir, name)),
    );
  });

  it('follows symlinked files, as Kubernetes mounts ConfigMaps', async (t) => {
    const tmp = await tempDir(t);
    await mkdir(join(tmp.dir, '..data'));
    await tmp.write('..data/orthanc.json', '{ "A": 1 }');
    await symlink(join(tmp.dir, '..data', 'orthanc.json'), join(tmp.dir, 'orthanc.json'));

    const source = await readConfigSource(tmp.dir, new ConfigReport());

    assert.deepEqual(source?.root, { A: 1 });
  });

  it('warns about a key repeated inside one file', async (t) => {
    const tmp = await tempDir(t);
    const file = await tmp.write('o.json', '{\n "A": 1,\n "A": 2\n}');
    const report = new ConfigReport();

    const source = await readConfigSource(file, report);

    assert.deepEqual(source?.root, { A: 2 });
    assert.deepEqual(report.notes, [
      { level: 'warn', path: 'A', message: `defined again at ${file}:3:2; the last value is used` },
    ]);
  });
});

describe('configuration files as loadConfig reads them', () => {
  it('finds the DicomWebOAuth section in a directory where it has its own file', async (t) => {
    const tmp = await tempDir(t);
    await tmp.write('orthanc.json', '{ "Name": "pacs", "DicomWeb": { "Enable": true } }');
    const section = { Servers: { cloud: validServer() } };
    await tmp.write('oauth.json', JSON.stringify({ DicomWebOAuth: section }));

    const config = assertOk(await loadConfig(tmp.dir, {}));

    assert.deepEqual([...config.servers.keys()], ['cloud']);
  });

  it('refuses a section defined in two files of a directory, naming both files', async (t) => {
    const tmp = await tempDir(t);
    const section = JSON.stringify({ DicomWebOAuth: { Servers: { a: validServer() } } });
    const first = await tmp.write('10-oauth.json', section);
    const second = await tmp.write('20-oauth.json', section);

    const result = await loadConfig(tmp.dir, {});

    assertProblems(result, [
      `DicomWebOAuth: defined in two configuration files: ${first} and ${second}`,
    ]);
  });

  it('reports a JSON syntax error with its file, line and column', async (t) => {
    const tmp = await tempDir(t);
    const file = await tmp.write('orthanc.json', '{\n  "DicomWebOAuth": {\n    "Servers": {,\n');

    const result = await loadConfig(file, {});

    assertProblems(result, [`${file}:3:17: invalid JSON: expected a key in double quotes, or "}"`]);
  });

  it('reports syntax errors of every file in a directory at once', async (t) => {
    const tmp = await tempDir(t);
    const a = await tmp.write('a.json', '{ "A": }');
    const b = await tmp.write('b.json', '{ "B": 1 ');

    const result = await loadConfig(tmp.dir, {});

    assertProblems(result, [
      `${a}:1:8: invalid JSON: expected a value (string, number, object, array, true, false or null)`,
      `${b}:1:10: invalid JSON: expected "," or "}" after a value in an object, but the file ends here`,
    ]);
  });

  it('reports a missing file, an empty directory and a top level not an object', async (t) => {
    const tmp = await tempDir(t);
    const missing = join(tmp.dir, 'missing.json');
    const empty = join(tmp.dir, 'empty');
    await mkdir(empty);
    const list = await tmp.write('list.json', '[1]');

    assertProblems(await loadConfig(missing, {}), [
      `${missing}: cannot read the configuration: it does not exist`,
    ]);
    assertProblems(await loadConfig(empty, {}), [
      `${empty}: no .json file in this configuration directory`,
    ]);
    assertProblems(await loadConfig(list, {}), [
      `${list}: the top level must be a JSON object (received an array)`,
    ]);
  });

  it('refuses a file without a DicomWebOAuth section', async (t) => {
    const tmp = await tempDir(t);
    const file = await tmp.write('orthanc.json', '{ "Name": "pacs" }');

    assertProblems(await loadConfig(file, {}), [`DicomWebOAuth: section missing from ${file}`]);
  });

  it('passes duplicate-key warnings through to the notes', async (t) => {
    const tmp = await tempDir(t);
    const server = JSON.stringify(validServer());
    const text =
      '{"DicomWebOAuth": {"LogLevel": "info",\n' +
      `"LogLevel": "debug", "Servers": {"a": ${server}}}}`;
    const file = await tmp.write('orthanc.json', text);

    const result = await loadConfig(file, {});

    assert.equal(assertOk(result).logLevel, 'debug');
    assert.deepEqual(noteLines(result), [
      `warn DicomWebOAuth.LogLevel: defined again at ${file}:2:1; the last value is used`,
    ]);
  });
});
