/** Requests and answers meant to break the service, each pinned after it once did. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import {
  createServer as createNetServer,
  connect,
  type AddressInfo,
  type Server,
  type Socket,
} from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, it } from 'node:test';
import { jsonOf, send } from '../../helpers/http-client.ts';
import { json, startHarness, type Harness } from '../../helpers/proxy-harness.ts';

let h: Harness | undefined;
let raw: Server | undefined;
afterEach(async () => {
  await h?.stop();
  raw?.close();
  h = undefined;
  raw = undefined;
});

/** An upstream speaking raw HTTP/1.1, for answers Node's own server would never send. */
async function rawUpstream(onRequest: (head: string, socket: Socket) => void) {
  raw = createNetServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', (head: Buffer) => onRequest(head.toString('latin1'), socket));
    socket.resume();
  });
  await new Promise<void>((resolve) => raw?.listen(0, '127.0.0.1', resolve));

  return `http://127.0.0.1:${(raw.address() as AddressInfo).port}/base/`;
}

const ok = (_req: unknown, res: ServerResponse) => json(res, 200, {});

describe('admin paths named after object internals', () => {
  it('answer 404 and leave the service running', async () => {
    h = await startHarness(ok);
    for (const name of ['__proto__', 'constructor', 'valueOf', 'hasOwnProperty', 'toString']) {
      const reply = await send(h.base, { path: `/dicomweb-oauth/${name}` });
      assert.equal(reply.status, 404, name);
    }

    assert.equal((await send(h.base, { path: '/dicomweb-oauth/status' })).status, 200);
  });
});

describe('an upstream status line with bytes Node refuses', () => {
  it('is relayed without its reason phrase, and the service keeps serving', async () => {
    const url = await rawUpstream((_head, socket) => {
      socket.write(
        Buffer.from('HTTP/1.1 404 Non trouv\xe9\r\ncontent-length: 2\r\n\r\n{}', 'latin1'),
      );
    });
    h = await startHarness(ok, { url });
    const reply = await send(h.base, { path: '/oauth-dicom-web/servers/x/studies' });

    assert.equal(reply.status, 404);
    assert.equal((await send(h.base, { path: '/dicomweb-oauth/status' })).status, 200);
  });
});

describe('methods and codings that are refused', () => {
  it('refuses TRACE, which would echo the token back, before fetching one', async () => {
    h = await startHarness(ok);
    const reply = await send(h.base, {
      method: 'TRACE',
      path: '/oauth-dicom-web/servers/x/studies',
    });

    assert.equal(reply.status, 405);
    assert.equal(h.token.seen.length, 0);
    assert.equal(h.upstream.seen.length, 0);
  });

  it('refuses a transfer coding it would otherwise drop silently', async () => {
    h = await startHarness(ok);
    const reply = await send(h.base, {
      method: 'POST',
      path: '/oauth-dicom-web/servers/x/studies',
      headers: { 'transfer-encoding': 'gzip, chunked' },
      body: Readable.from([Buffer.from('compressed?')]),
    });

    assert.equal(reply.status, 501);
    assert.equal(h.upstream.seen.length, 0);
  });

  it('refuses servlet-style dot segments, double encodings and fragments', async () => {
    h = await startHarness(ok);
    for (const path of [
      '/oauth-dicom-web/servers/x/..;/b/studies',
      '/oauth-dicom-web/servers/x/%2e%2e;jsessionid=1/b',
      '/oauth-dicom-web/servers/x/%252e%252e/b',
      '/oauth-dicom-web/servers/x/studies#frag',
    ]) {
      assert.equal((await send(h.base, { path })).status, 400, path);
    }
    assert.equal(h.upstream.seen.length, 0);
  });
});

describe('a small chunked body', () => {
  it('stays chunked even when it arrived whole while the token was fetched', async () => {
    h = await startHarness(ok);
    h.token.script.push((_req, res) =>
      setTimeout(() => json(res, 200, { access_token: 'slow', expires_in: 3600 }), 100),
    );
    await send(h.base, {
      method: 'POST',
      path: '/oauth-dicom-web/servers/x/studies',
      body: Readable.from([Buffer.from('small body')]),
    });

    const seen = h.upstream.seen[0];
    assert.equal(seen?.headers['transfer-encoding'], 'chunked');
    assert.equal(seen?.headers['content-length'], undefined);
    assert.equal(seen?.body.toString(), 'small body');
  });
});

describe('a client that keeps writing after an early answer', () => {
  it('gets the answer and a connection that still serves the next request', async () => {
    let requests = 0;
    const url = await rawUpstream((_head, socket) => {
      requests++;
      socket.write(
        'HTTP/1.1 401 Unauthorized\r\nwww-authenticate: Bearer error="invalid_token"\r\n' +
          'content-length: 0\r\n\r\n',
      );
    });
    h = await startHarness(ok, { url });
    const port = new URL(h.base).port;
    const size = 8 * 1024 * 1024;

    // Like Java or Python clients: write the whole body first, read the answer afterwards.
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      `POST /oauth-dicom-web/servers/x/studies HTTP/1.1\r\nhost: x\r\ncontent-length: ${size}\r\n\r\n`,
    );
    const body = randomBytes(size);
    const drained = socket.write(body);
    if (!drained) await once(socket, 'drain');
    socket.write('GET /dicomweb-oauth/status HTTP/1.1\r\nhost: x\r\n\r\n');

    let text = '';
    socket.setEncoding('latin1');
    await new Promise<void>((resolve, reject) => {
      socket.on('data', (chunk: string) => {
        text += chunk;
        if (text.includes('"serving"')) resolve();
      });
      socket.on('error', reject);
      socket.on('close', () => reject(new Error(`closed after: ${text.slice(0, 200)}`)));
    });
    socket.destroy();

    assert.match(text, /^HTTP\/1\.1 401/);
    assert.match(text, /HTTP\/1\.1 200/);
    assert.equal(requests, 1);
  });
});

describe('an upload that stalls', () => {
  it('is answered 408 after the idle limit and frees its upstream connection', async () => {
    h = await startHarness(
      (req, res) => {
        req.resume();
        req.on('end', () => json(res, 200, {}));
      },
      { upstreamIdleSeconds: 0.3 },
    );
    h.upstream.readBody = false;
    const port = Number(new URL(h.base).port);
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      'POST /oauth-dicom-web/servers/x/studies HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\n0123456789',
    );
    socket.setEncoding('latin1');
    const [answer] = (await once(socket, 'data')) as [string];
    socket.destroy();

    assert.match(answer, /^HTTP\/1\.1 408/);
    assert.match(answer, /request_body_stalled/);
    assert.equal((await send(h.base, { path: '/oauth-dicom-web/servers/x/next' })).status, 200);
  });
});

describe('a token endpoint that quotes the secret back', () => {
  it('never gets the secret into the log or the status route', async () => {
    h = await startHarness(ok, { tokenWaitSeconds: 0.3 });
    h.token.script.push((req, res, body) => {
      const secret = new URLSearchParams(body.toString()).get('client_secret');
      json(res, 401, {
        error: 'invalid_client',
        error_description: `Invalid client secret '${secret}'`,
      });
    });
    const reply = await send(h.base, { path: '/oauth-dicom-web/servers/x/studies' });
    const servers = await send(h.base, { path: '/dicomweb-oauth/servers' });

    assert.equal(reply.status, 503);
    assert.ok(h.logs.all.includes('Invalid client secret'), 'the description is kept');
    assert.ok(!h.logs.all.includes('harness-secret'), 'the secret reached the log');
    assert.ok(!servers.body.toString().includes('harness-secret'));
    assert.equal(h.token.seen.length, 1, 'a permanent refusal is not retried at once');
    assert.equal(jsonOf(reply)['error'], 'token_unavailable');
  });
});
