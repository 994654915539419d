import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandEnvVars, UNRESOLVED } from '../../../src/config/env-vars.ts';
import { ConfigReport } from '../../../src/config/report.ts';
import { assertProblems, loadSection, loadServer, onlyServer } from './fixtures.ts';

/** Expands `tree` as the section at path `Root`, with `Secret` as the secret key. */
function expand(tree: unknown, env: NodeJS.ProcessEnv, report = new ConfigReport()): unknown {
  return expandEnvVars(tree, 'Root', { env, report, secretKeys: new Set(['Secret']) });
}

describe('expandEnvVars', () => {
  it('replaces every ${VAR} in strings at any depth, leaving other values alone', () => {
    const report = new ConfigReport();
    const tree = { a: 'https://${HOST}:${PORT}/x', b: [{ c: '${HOST}' }], n: 5, t: true, z: null };

    const expanded = expand(tree, { HOST: 'h.example', PORT: '8443' }, report);

    assert.deepEqual(expanded, {
      a: 'https://h.example:8443/x',
      b: [{ c: 'h.example' }],
      n: 5,
      t: true,
      z: null,
    });
    assert.deepEqual(report.problems, []);
  });

  it('inserts a value as text, so it cannot inject JSON structure', () => {
    const expanded = expand({ a: '${V}' }, { V: '", "b": {"c": 1}' });

    assert.deepEqual(expanded, { a: '", "b": {"c": 1}' });
  });

  it('does not expand keys, and leaves text that is not a reference', () => {
    const tree = { '${K}': '$HOME and ${not-a-name} and $ {X}' };

    assert.deepEqual(expand(tree, { K: 'k', HOME: '/root' }), tree);
  });

  it('names each missing variable with the JSON path of its value', () => {
    const report = new ConfigReport();

    const expanded = expand({ a: { b: '${ONE}-${TWO}' }, c: ['${ONE}'] }, {}, report);

    assert.deepEqual(expanded, { a: { b: UNRESOLVED }, c: [UNRESOLVED] });
    assert.deepEqual(report.problems, [
      { path: 'Root.a.b', message: 'environment variable ONE is not set' },
      { path: 'Root.a.b', message: 'environment variable TWO is not set' },
      { path: 'Root.c[0]', message: 'environment variable ONE is not set' },
    ]);
  });

  it('remembers a value substituted inside a secret key, alone, for redaction', () => {
    const report = new ConfigReport();
    const tree = { Secret: 'prefix-${S}', Other: { Secret: ['${T}'] }, Plain: '${P}' };

    expand(tree, { S: 'ssss', T: 'tttt', P: 'pppp' }, report);

    assert.deepEqual([...report.secrets], ['ssss', 'tttt']);
  });

  it('treats a variable set to the empty string as set', () => {
    assert.deepEqual(expand({ a: 'x${E}y' }, { E: '' }), { a: 'xy' });
  });
});

describe('${VAR} in the configuration', () => {
  it('fills server values from the environment passed to loadConfig', async (t) => {
    const env = { DICOM_HOST: 'dicom.example.org', CLIENT_ID: 'from-env' };
    const overrides = { Url: 'https://${DICOM_HOST}/v2/', ClientId: '${CLIENT_ID}' };

    const server = onlyServer(await loadServer(t, overrides, env));

    assert.equal(server.url, 'https://dicom.example.org/v2/');
    assert.equal(server.clientId, 'from-env');
  });

  it('reports a missing variable once, without a second problem for the same key', async (t) => {
    const result = await loadServer(t, { Url: '${UPSTREAM_URL}' });

    assertProblems(result, [
      'DicomWebOAuth.Servers.s.Url: environment variable UPSTREAM_URL is not set',
    ]);
  });

  it('reports a missing variable standing for an object without a type problem', async (t) => {
    assertProblems(await loadSection(t, { Servers: '${SERVERS}' }), [
      'DicomWebOAuth.Servers: environment variable SERVERS is not set',
    ]);
  });
});
