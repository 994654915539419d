import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProxyTarget } from '../../../src/proxy/route.ts';

describe('parseProxyTarget', () => {
  it('splits server, path and query, leaving the query byte for byte', () => {
    const target =
      '/oauth-dicom-web/servers/azure/studies/1.2.3/series?PatientName=A%5EB+C&x=1&x=2';

    assert.deepEqual(parseProxyTarget(target), {
      kind: 'proxy',
      server: 'azure',
      rest: 'studies/1.2.3/series',
      query: '?PatientName=A%5EB+C&x=1&x=2',
    });
  });

  it('accepts the bare server root with and without a trailing slash', () => {
    assert.deepEqual(parseProxyTarget('/oauth-dicom-web/servers/a/'), {
      kind: 'proxy',
      server: 'a',
      rest: '',
      query: '',
    });
    assert.equal(parseProxyTarget('/oauth-dicom-web/servers/a').kind, 'proxy');
  });

  it('refuses every way of climbing out of the base path', () => {
    const escapes = [
      '/oauth-dicom-web/servers/a/../b/studies',
      '/oauth-dicom-web/servers/a/studies/../../x',
      '/oauth-dicom-web/servers/a/..%2F..%2Fb/studies',
      '/oauth-dicom-web/servers/a/%2e%2e/studies',
      '/oauth-dicom-web/servers/a/%2E%2E/studies',
      '/oauth-dicom-web/servers/a/.%2e/studies',
      '/oauth-dicom-web/servers/a/studies%2fx',
      '/oauth-dicom-web/servers/a/studies%5c..%5cx',
      '/oauth-dicom-web/servers/a/studies\\..\\x',
      '/oauth-dicom-web/servers/a/./studies',
      '/oauth-dicom-web/servers/a/studies%00',
      '/oauth-dicom-web/servers/a/%zz',
    ];
    for (const target of escapes) {
      assert.equal(parseProxyTarget(target).kind, 'bad-request', target);
    }
  });

  it('refuses absolute-form and asterisk-form targets', () => {
    assert.equal(parseProxyTarget('http://127.0.0.1:9003/b/studies').kind, 'bad-request');
    assert.equal(parseProxyTarget('*').kind, 'bad-request');
  });

  it('leaves other paths to the caller and decodes the server name', () => {
    assert.equal(parseProxyTarget('/dicom-web/studies').kind, 'not-proxy');
    assert.equal(parseProxyTarget('/oauth-dicom-web/servers/').kind, 'bad-request');
    const named = parseProxyTarget('/oauth-dicom-web/servers/my%2Dserver/studies');
    assert.equal(named.kind === 'proxy' && named.server, 'my-server');
  });

  it('allows dots inside segments, which DICOM UIDs are made of', () => {
    const route = parseProxyTarget('/oauth-dicom-web/servers/a/studies/1.2.840.113619..2/x..y');
    assert.equal(route.kind, 'proxy');
  });
});
