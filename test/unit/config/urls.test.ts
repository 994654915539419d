import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkTokenEndpoint,
  checkUpstreamUrl,
  isLoopbackHost,
  safeUrlText,
} from '../../../src/config/urls.ts';

function upstream(text: string): string {
  const check = checkUpstreamUrl(text);
  return check.ok ? check.url.href : `refused: ${check.reason}`;
}

function endpoint(text: string): string {
  const check = checkTokenEndpoint(text);
  return check.ok ? check.url.href : `refused: ${check.reason}`;
}

describe('checkUpstreamUrl', () => {
  it('adds the trailing slash request paths are appended to', () => {
    assert.equal(upstream('https://dicom.example.com/v2'), 'https://dicom.example.com/v2/');
    assert.equal(upstream('https://dicom.example.com'), 'https://dicom.example.com/');
    assert.equal(upstream('http://10.0.0.5:8042/dicom-web/'), 'http://10.0.0.5:8042/dicom-web/');
  });

  it('refuses other schemes, relative URLs, credentials, queries and fragments', () => {
    const scheme = 'refused: must be an absolute http or https URL';
    assert.equal(upstream('ftp://dicom.example.com/'), scheme);
    assert.equal(upstream('/dicom-web/'), scheme);
    assert.equal(upstream('dicom.example.com'), scheme);
    assert.equal(
      upstream('https://user:pw@dicom.example.com/'),
      'refused: must not contain a user name or password',
    );
    assert.equal(
      upstream('https://dicom.example.com/?a=1'),
      'refused: must not have a query string',
    );
    assert.equal(upstream('https://dicom.example.com/?'), 'refused: must not have a query string');
    assert.equal(
      upstream('https://dicom.example.com/#x'),
      'refused: must not have a fragment (#...)',
    );
  });
});

describe('checkTokenEndpoint', () => {
  const insecure = 'refused: must be an https URL; http is allowed only for a loopback host';

  it('accepts https anywhere and http on loopback hosts only', () => {
    assert.equal(endpoint('https://idp.example.com/token'), 'https://idp.example.com/token');
    assert.equal(endpoint('http://127.0.0.1:9000/token'), 'http://127.0.0.1:9000/token');
    assert.equal(endpoint('http://127.45.6.7/token'), 'http://127.45.6.7/token');
    assert.equal(endpoint('http://[::1]:9000/token'), 'http://[::1]:9000/token');
    assert.equal(endpoint('http://localhost/token'), 'http://localhost/token');
  });

  it('refuses http to any other host, including look-alikes of loopback', () => {
    assert.equal(endpoint('http://idp.example.com/token'), insecure);
    assert.equal(endpoint('http://128.0.0.1/token'), insecure);
    assert.equal(endpoint('http://127.0.0.1.example.com/token'), insecure);
    assert.equal(endpoint('http://localhost.example.com/token'), insecure);
    assert.equal(endpoint('http://[::2]/token'), insecure);
    assert.equal(endpoint('ftp://idp.example.com/token'), insecure);
  });

  it('refuses credentials, a fragment and a template placeholder', () => {
    assert.equal(
      endpoint('https://a:b@idp.example.com/token'),
      'refused: must not contain a user name or password',
    );
    assert.equal(
      endpoint('https://idp.example.com/token#x'),
      'refused: must not have a fragment (#...)',
    );
    assert.equal(
      endpoint('https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token'),
      'refused: must not contain a {placeholder}',
    );
  });

  it('allows a query string, which RFC 6749 permits on the token endpoint', () => {
    assert.equal(
      endpoint('https://idp.example.com/token?realm=x'),
      'https://idp.example.com/token?realm=x',
    );
  });
});

describe('isLoopbackHost', () => {
  it('recognises the short IPv4 spelling after URL normalisation', () => {
    assert.equal(isLoopbackHost(new URL('http://127.1/')), true);
    assert.equal(isLoopbackHost(new URL('http://LOCALHOST/')), true);
    assert.equal(isLoopbackHost(new URL('http://0.0.0.0/')), false);
  });
});

describe('safeUrlText', () => {
  it('hides user info, query and fragment, where credentials may hide', () => {
    assert.equal(
      safeUrlText('https://u:p@h.example/a?sig=s3cret#f'),
      'https://...@h.example/a?...',
    );
    assert.equal(safeUrlText('https://h.example/a@b'), 'https://h.example/a@b');
    assert.equal(safeUrlText('https://h.example/a#secret'), 'https://h.example/a#...');
  });
});
