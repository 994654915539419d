import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseListen } from '../../../src/config/listen.ts';

describe('parseListen', () => {
  it('accepts an IPv4 address, localhost and a bracketed IPv6 address', () => {
    assert.deepEqual(parseListen('127.0.0.1:8089'), {
      ok: true,
      value: { host: '127.0.0.1', port: 8089 },
    });
    assert.deepEqual(parseListen('localhost:0'), {
      ok: true,
      value: { host: 'localhost', port: 0 },
    });
    assert.deepEqual(parseListen('[::1]:65535'), { ok: true, value: { host: '::1', port: 65535 } });
    assert.deepEqual(parseListen('127.0.0.2:80'), {
      ok: true,
      value: { host: '127.0.0.2', port: 80 },
    });
  });

  it('refuses a port outside 0 to 65535 or not written in digits', () => {
    const reason = 'port must be a number from 0 to 65535';
    for (const text of [
      '127.0.0.1:65536',
      '127.0.0.1:-1',
      '127.0.0.1:',
      '127.0.0.1:80a',
      '[::1]:1e3',
    ]) {
      assert.deepEqual(parseListen(text), { ok: false, reason }, text);
    }
  });

  it('refuses a host name other than localhost', () => {
    const reason = 'host must be an IP address or localhost';
    for (const text of ['example.com:8089', ':8089', '999.1.1.1:80']) {
      assert.deepEqual(parseListen(text), { ok: false, reason }, text);
    }
  });

  it('refuses a missing port and an IPv6 address without brackets', () => {
    const reason = 'must be "host:port", an IPv6 host in brackets as in "[::1]:8089"';
    for (const text of ['127.0.0.1', '::1:8089', '[::1]8089', '[localhost]:80', '[::1']) {
      assert.deepEqual(parseListen(text), { ok: false, reason }, text);
    }
  });
});

describe('Listen beyond loopback', () => {
  it('is refused, since nothing would stop others from borrowing the token', () => {
    for (const text of ['0.0.0.0:8089', '[::]:8089', '192.0.2.10:8089']) {
      const result = parseListen(text);
      assert.equal(result.ok, false, text);
      assert.match(result.ok ? '' : result.reason, /loopback/);
    }
  });
});
