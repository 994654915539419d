import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { jsonOf, send } from '../../helpers/http-client.ts';
import { startHarness, type Harness } from '../../helpers/proxy-harness.ts';
import { selfSignedCertificate, type Certificate } from '../../helpers/self-signed.ts';

let cert: Certificate;
let upstream: Server;
let url: string;

before(async () => {
  cert = selfSignedCertificate();
  upstream = createServer(cert, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"tls":true}');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(upstream.address() as AddressInfo).port}/base/`;
});

after(() => {
  upstream.closeAllConnections();
  upstream.close();
});

async function through(tls: {
  verify: boolean;
  ca?: string;
}): Promise<{ status: number; body: Record<string, unknown> }> {
  const h: Harness = await startHarness(() => undefined, { url, tls });
  try {
    const reply = await send(h.base, { path: '/oauth-dicom-web/servers/x/studies' });
    return { status: reply.status, body: jsonOf(reply) };
  } finally {
    await h.stop();
  }
}

describe('TLS to the upstream', () => {
  it('refuses a certificate it cannot verify, with a 502 saying why', async () => {
    const reply = await through({ verify: true });

    assert.equal(reply.status, 502);
    assert.match(String(reply.body['message']), /certificate/i);
  });

  it('trusts a certificate signed by the configured CA bundle', async () => {
    assert.deepEqual((await through({ verify: true, ca: cert.cert })).body, { tls: true });
  });

  it('skips verification only when told to', async () => {
    assert.deepEqual((await through({ verify: false })).body, { tls: true });
  });
});
