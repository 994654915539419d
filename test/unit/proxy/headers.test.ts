import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientResponseHeaders, upstreamRequestHeaders } from '../../../src/proxy/headers.ts';

describe('upstreamRequestHeaders', () => {
  it('keeps end-to-end headers with their case, order and repeats, and adds the token', () => {
    const raw = [
      'Content-Type',
      'multipart/related; type="application/dicom"; boundary="844ed95c"',
      'Accept',
      'application/dicom+json',
      'X-Custom',
      'one',
      'X-Custom',
      'two',
    ];

    assert.deepEqual(upstreamRequestHeaders(raw, 'Bearer tok'), [
      ...raw,
      'authorization',
      'Bearer tok',
    ]);
  });

  it('drops the client credentials, Host, Expect and hop-by-hop headers', () => {
    const raw = [
      'Host', 'proxy.local',
      'Authorization', 'Basic b3J0aGFuYzpvcnRoYW5j',
      'authorization', 'Bearer client-supplied',
      'Proxy-Authorization', 'Basic eA==',
      'Connection', 'keep-alive, X-Hop',
      'X-Hop', 'drop me',
      'Keep-Alive', 'timeout=5',
      'Transfer-Encoding', 'chunked',
      'TE', 'trailers',
      'Upgrade', 'websocket',
      'Expect', '100-continue',
      'Accept', '*/*',
    ]; // prettier-ignore

    assert.deepEqual(upstreamRequestHeaders(raw, 'Bearer tok'), [
      'Accept',
      '*/*',
      'authorization',
      'Bearer tok',
    ]);
  });
});

describe('clientResponseHeaders', () => {
  it('passes the upstream headers except hop-by-hop ones', () => {
    const headers = clientResponseHeaders({
      'content-type': 'multipart/related; type="application/dicom"; boundary=b1',
      'content-length': '10',
      'set-cookie': ['a=1', 'b=2'],
      connection: 'keep-alive, x-hop',
      'x-hop': '1',
      'keep-alive': 'timeout=5',
      'transfer-encoding': 'chunked',
      location: 'https://elsewhere.example/x',
    });

    assert.deepEqual(headers, {
      'content-type': 'multipart/related; type="application/dicom"; boundary=b1',
      'content-length': '10',
      'set-cookie': ['a=1', 'b=2'],
      location: 'https://elsewhere.example/x',
    });
  });
});
