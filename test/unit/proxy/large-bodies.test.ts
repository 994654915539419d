/**
 * Large bodies through the real CLI process: byte-exact both ways, and the process's peak
 * memory stays flat however big the body (it is read from /proc, so Linux only).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { startProduct, type RunningProduct } from '../../helpers/product.ts';

const MiB = 1024 * 1024;
const SIZE = Number(process.env['DWO_LARGE_BODY_MIB'] ?? 512) * MiB;
/**
 * Peak resident memory allowed for the service while it moves the bodies. Run from the
 * TypeScript sources it starts near 110 MB (type stripping costs ~25 MB over the compiled
 * build) and peaks near 135 MB whatever the size; without its scavenger it reached ~200 MB of
 * garbage-collector slack, and a service that buffered bodies would pass 512 MB.
 */
const MAX_PEAK_RSS_MB = 180;

let upstream: Server;
let tokens: Server;
let product: RunningProduct;
const received: { bytes: number; sha256: string }[] = [];

/** Deterministic bytes, generated as they are sent: nothing of this size is held anywhere. */
function* pattern(size: number): Generator<Buffer> {
  const block = Buffer.alloc(256 * 1024);
  for (let i = 0; i < block.length; i++) block[i] = (i * 31) % 251;
  for (let sent = 0; sent < size; sent += block.length) {
    yield size - sent >= block.length ? block : block.subarray(0, size - sent);
  }
}

function patternHash(size: number): string {
  const hash = createHash('sha256');
  for (const chunk of pattern(size)) hash.update(chunk);
  return hash.digest('hex');
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

before(async () => {
  tokens = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: 'tok-large', token_type: 'Bearer', expires_in: 3600 }));
  });
  upstream = createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': SIZE });
      Readable.from(pattern(SIZE)).pipe(res);
      return;
    }
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (c: Buffer) => ((bytes += c.length), hash.update(c)));
    req.on('end', () => {
      received.push({ bytes, sha256: hash.digest('hex') });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  const [tokenPort, upstreamPort] = [await listen(tokens), await listen(upstream)];
  product = await startProduct({
    config: {
      DicomWebOAuth: {
        Listen: '127.0.0.1:0',
        LogFormat: 'json',
        Servers: {
          big: {
            Url: `http://127.0.0.1:${upstreamPort}/`,
            TokenEndpoint: `http://127.0.0.1:${tokenPort}/token`,
            ClientId: 'cid',
            ClientSecret: 'large-secret',
          },
        },
      },
    },
  });
});

after(async () => {
  await product?.stop();
  upstream?.closeAllConnections();
  upstream?.close();
  tokens?.close();
});

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
  return kb / 1024;
}

describe(`bodies of ${SIZE / MiB} MiB through the service`, () => {
  it('uploads chunked, byte for byte', async () => {
    const url = new URL(`${product.origin}/oauth-dicom-web/servers/big/studies`);
    const req = request(url, {
      method: 'POST',
      headers: { 'content-type': 'multipart/related; boundary=b' },
    });
    const response = new Promise<number>((resolve, reject) => {
      req.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0)));
      req.on('error', reject);
    });
    await pipeline(Readable.from(pattern(SIZE)), req);

    assert.equal(await response, 200);
    assert.deepEqual(received, [{ bytes: SIZE, sha256: patternHash(SIZE) }]);
  });

  it('downloads byte for byte', async () => {
    const res = await fetch(`${product.origin}/oauth-dicom-web/servers/big/studies/1`);
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      hash.update(chunk);
    }

    assert.equal(res.status, 200);
    assert.equal(bytes, SIZE);
    assert.equal(hash.digest('hex'), patternHash(SIZE));
  });

  it(`kept the service's peak memory under ${MAX_PEAK_RSS_MB} MB`, () => {
    const peak = peakRssMb(product.pid);
    console.log(`peak RSS of the service: ${peak.toFixed(1)} MB`);
    assert.ok(peak < MAX_PEAK_RSS_MB, `peak RSS ${peak.toFixed(1)} MB`);
  });
});
