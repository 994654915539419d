import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, it } from 'node:test';
import { jsonOf, send } from '../../helpers/http-client.ts';
import { json, startHarness, type Harness } from '../../helpers/proxy-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** Resolves when the upstream side of an exchange ends without completing. */
function closedEarly(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => res.on('close', () => !res.writableFinished && resolve()));
}

describe('a client that goes away', () => {
  it('mid-download: the upstream request is aborted and the service keeps serving', async () => {
    let upstreamAborted: Promise<void> | undefined;
    h = await startHarness((req, res) => {
      if (req.url?.includes('small')) return json(res, 200, { ok: true });
      upstreamAborted = closedEarly(res);
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024);
      const pump = (): void => {
        while (res.write(chunk));
        res.once('drain', pump);
      };
      pump();
    });

    const target = new URL(`${h.base}/oauth-dicom-web/servers/x/studies/1`);
    const client = request(target, { agent: false });
    client.end();
    const [res] = (await once(client, 'response')) as [IncomingMessage];
    await once(res, 'data');
    client.destroy();
    client.on('error', () => undefined);

    await upstreamAborted;
    const after = await send(h.base, { path: '/oauth-dicom-web/servers/x/small' });
    assert.equal(after.status, 200);
    const line = h.logs.entries.find((e) => e['msg'] === 'request' && e['path'] === '/studies/1');
    assert.equal(line?.['error'], 'client_gone');
  });

  it('mid-upload: the upstream sees the upload end early and the service keeps serving', async () => {
    let upstreamSawAbort: Promise<unknown> | undefined;
    h = await startHarness((req, res) => {
      if (req.url?.includes('small')) return json(res, 200, { ok: true });
      upstreamSawAbort = new Promise((resolve) => {
        req.on('aborted', resolve);
        req.on('error', resolve);
        req.on('close', () => !req.complete && resolve('closed'));
      });
      req.resume();
    });
    h.upstream.readBody = false;

    const target = new URL(`${h.base}/oauth-dicom-web/servers/x/studies`);
    const client = request(target, { method: 'POST', agent: false });
    client.on('error', () => undefined);
    client.write(randomBytes(256 * 1024));
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.destroy();

    await new Promise<void>((resolve) => {
      const wait = (): void =>
        void (upstreamSawAbort ? upstreamSawAbort.then(() => resolve()) : setTimeout(wait, 5));
      wait();
    });
    const after = await send(h.base, { path: '/oauth-dicom-web/servers/x/small' });
    assert.equal(after.status, 200);
  });
});

describe('an upstream that answers before reading the upload', () => {
  it('gets its 401 relayed to the client, which is not left hanging', async () => {
    // A raw server that answers on the request headers alone, then drains the upload with a
    // lingering close, as production front ends do.
    const early = createNetServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', (head: Buffer) => {
        const fresh = head.toString('latin1').includes('Bearer tok-2');
        socket.write(
          fresh
            ? 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}'
            : 'HTTP/1.1 401 Unauthorized\r\nwww-authenticate: Bearer error="invalid_token"\r\n' +
                'content-length: 0\r\n\r\n',
        );
      });
      socket.resume();
    });
    await new Promise<void>((resolve) => early.listen(0, '127.0.0.1', resolve));
    const port = (early.address() as AddressInfo).port;
    try {
      h = await startHarness(() => undefined, { url: `http://127.0.0.1:${port}/base/` });
      const body = Readable.from(
        (function* () {
          for (let i = 0; i < 320; i++) yield randomBytes(64 * 1024);
        })(),
      );
      const reply = await send(h.base, {
        method: 'POST',
        path: '/oauth-dicom-web/servers/x/studies',
        headers: { 'content-type': 'multipart/related; type="application/dicom"; boundary=b' },
        body,
      });

      assert.equal(reply.status, 401);
      assert.match(String(reply.headers['www-authenticate']), /invalid_token/);
      const next = await send(h.base, { path: '/oauth-dicom-web/servers/x/studies' });
      assert.equal(next.status, 200);
      assert.equal(h.token.issued.length, 2);
    } finally {
      early.close();
    }
  });
});

describe('a token endpoint that misbehaves', () => {
  const cases: [string, (res: ServerResponse) => void][] = [
    [
      'an access_token that is an object',
      (res) => json(res, 200, { access_token: { value: 'tok-E' }, expires_in: 3600 }),
    ],
    ['an invalid_scope error', (res) => json(res, 400, { error: 'invalid_scope' })],
    ['no access_token at all', (res) => json(res, 200, { token_type: 'Bearer', expires_in: 3600 })],
    [
      'an empty 200',
      (res) => (res.writeHead(200, { 'content-type': 'application/json' }), res.end()),
    ],
    [
      'an HTML 200',
      (res) => (
        res.writeHead(200, { 'content-type': 'text/html' }),
        res.end('<html>gateway error</html>')
      ),
    ],
  ];
  for (const [what, answer] of cases) {
    it(`sends nothing upstream on ${what}: the client gets 503 naming the server`, async () => {
      h = await startHarness((_req, res) => json(res, 200, {}), { tokenWaitSeconds: 0.5 });
      for (let i = 0; i < 10; i++) h.token.script.push((_req, res) => answer(res));
      const reply = await send(h.base, {
        method: 'POST',
        path: '/oauth-dicom-web/servers/x/studies',
        body: 'stow',
      });

      assert.equal(reply.status, 503);
      assert.ok(Number(reply.headers['retry-after']) >= 1);
      assert.equal(jsonOf(reply)['error'], 'token_unavailable');
      assert.equal(jsonOf(reply)['server'], 'x');
      assert.equal(h.upstream.seen.length, 0);
      const warning = h.logs.entries.find((e) =>
        e['msg']?.toString().startsWith('token request failed'),
      );
      assert.equal(warning?.['server'], 'x');
    });
  }

  it('recovers from gateway errors posing as 200s, and sends the good token only', async () => {
    h = await startHarness((_req, res) => json(res, 200, {}));
    h.token.script.push(
      (_req, res) => (res.writeHead(200, { 'content-type': 'application/json' }), res.end()),
      (_req, res) => (
        res.writeHead(200, { 'content-type': 'text/html' }),
        res.end('<html>gateway error</html>')
      ),
      (_req, res) =>
        json(res, 200, { access_token: 'tok-B', token_type: 'Bearer', expires_in: 3600 }),
    );
    const reply = await send(h.base, { path: '/oauth-dicom-web/servers/x/studies' });

    assert.equal(reply.status, 200);
    assert.equal(h.token.seen.length, 3);
    assert.deepEqual(
      h.upstream.seen.map((s) => s.headers.authorization),
      ['Bearer tok-B'],
    );
  });
});

describe('admin routes', () => {
  it('report status and servers without any secret or token', async () => {
    h = await startHarness((_req, res) => json(res, 200, {}));
    await send(h.base, { path: '/oauth-dicom-web/servers/x/studies' });
    const status = await send(h.base, { path: '/dicomweb-oauth/status' });
    const servers = await send(h.base, { path: '/dicomweb-oauth/servers' });

    assert.equal(status.status, 200);
    assert.equal(jsonOf(status)['status'], 'serving');
    const [entry] = jsonOf(servers)['servers'] as Record<string, unknown>[];
    assert.equal(entry?.['name'], 'x');
    assert.equal((entry?.['token'] as Record<string, unknown>)['cached'], true);
    assert.doesNotMatch(servers.body.toString(), /harness-secret|tok-1/);
  });

  it('answer 404 for unknown routes and 405 for writes', async () => {
    h = await startHarness((_req, res) => json(res, 200, {}));

    assert.equal((await send(h.base, { path: '/dicomweb-oauth/nope' })).status, 404);
    assert.equal(
      (await send(h.base, { method: 'POST', path: '/dicomweb-oauth/status' })).status,
      405,
    );
    assert.equal((await send(h.base, { path: '/' })).status, 404);
  });
});
