import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { afterEach, describe, it } from 'node:test';
import { jsonOf, send } from '../../helpers/http-client.ts';
import {
  CLIENT_SECRET,
  json,
  RecordingServer,
  sha256,
  startHarness,
  type Harness,
} from '../../helpers/proxy-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const ok = (_req: unknown, res: ServerResponse) => json(res, 200, { ok: true });

describe('forwarding', () => {
  it('sends the request under the base path with the token and the query byte for byte', async () => {
    h = await startHarness((_req, res) => json(res, 200, [{ study: 1 }], { 'x-upstream': 'yes' }));
    const query = '?PatientName=A%5EB+C&StudyDate=20260101-&x=1&x=2&empty=';
    const reply = await send(h.base, { path: `/oauth-dicom-web/servers/x/studies${query}` });

    assert.equal(reply.status, 200);
    assert.equal(reply.headers['x-upstream'], 'yes');
    assert.deepEqual(jsonOf(reply), [{ study: 1 }] as unknown);
    const seen = h.upstream.seen[0];
    assert.equal(seen?.url, `/base/studies${query}`);
    assert.equal(seen?.headers.authorization, 'Bearer tok-1');
  });

  it('sends exactly one Authorization upstream: the token, never the client credentials', async () => {
    h = await startHarness(ok);
    await send(h.base, {
      path: '/oauth-dicom-web/servers/x/studies',
      headers: {
        authorization: 'Basic b3J0aGFuYzpvcnRoYW5j',
        'proxy-authorization': 'Basic eA==',
        host: '127.0.0.1:9003',
        'x-forwarded-host': '127.0.0.1:9003',
        'x-forwarded-uri': '/oauth-dicom-web/servers/b/studies',
      },
    });

    const seen = h.upstream.seen[0];
    const auth = seen?.rawHeaders.filter(
      (_v, i, all) => i % 2 === 0 && /^authorization$/i.test(all[i] ?? ''),
    );
    assert.equal(auth?.length, 1);
    assert.equal(seen?.headers.authorization, 'Bearer tok-1');
    assert.equal(seen?.headers['proxy-authorization'], undefined);
    assert.equal(seen?.headers.host, new URL(h.upstream.url).host);
    assert.equal(seen?.url, '/base/studies');
  });

  it('passes multipart STOW bodies and their Content-Type untouched, chunked stays chunked', async () => {
    h = await startHarness((_req, res) => json(res, 200, {}));
    const types = [
      'multipart/related; type="application/dicom"; boundary="844ed95c-28c7-fbf3-ab70-cdf41edc7f8d"',
      'multipart/related; type=application/dicom; boundary=2afeebaf-038d-792a-f952-d8e249ba8e96',
    ];
    const body = randomBytes(3 * 1024 * 1024);
    for (const type of types) {
      await send(h.base, {
        method: 'POST',
        path: '/oauth-dicom-web/servers/x/studies',
        headers: { 'Content-Type': type, Accept: 'application/dicom+json' },
        body: Readable.from([body.subarray(0, 1000), body.subarray(1000)]),
      });
    }
    await send(h.base, {
      method: 'POST',
      path: '/oauth-dicom-web/servers/x/studies',
      headers: { 'Content-Type': types[0] ?? '', 'Content-Length': String(body.length) },
      body,
    });

    const [chunked1, chunked2, sized] = h.upstream.seen;
    for (const [i, seen] of [chunked1, chunked2].entries()) {
      assert.equal(seen?.rawHeaders[seen.rawHeaders.indexOf('Content-Type') + 1], types[i]);
      assert.equal(seen?.headers.accept, 'application/dicom+json');
      assert.equal(seen?.headers['transfer-encoding'], 'chunked');
      assert.equal(seen?.headers['content-length'], undefined);
      assert.equal(sha256(seen?.body ?? Buffer.alloc(0)), sha256(body));
    }
    assert.equal(sized?.headers['content-length'], String(body.length));
    assert.equal(sha256(sized?.body ?? Buffer.alloc(0)), sha256(body));
  });

  it('passes HEAD answers with their headers and no body', async () => {
    h = await startHarness((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/dicom', 'content-length': '1234' });
      res.end();
    });
    const reply = await send(h.base, {
      method: 'HEAD',
      path: '/oauth-dicom-web/servers/x/studies/1',
    });

    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-length'], '1234');
    assert.equal(reply.body.length, 0);
    assert.equal(h.upstream.seen[0]?.method, 'HEAD');
  });

  it('passes redirects back untouched and never follows them', async () => {
    const foreign = await new RecordingServer(ok).start();
    try {
      h = await startHarness((_req, res) => {
        res.writeHead(302, { location: `${foreign.url}/b/studies` });
        res.end();
      });
      const reply = await send(h.base, { path: '/oauth-dicom-web/servers/x/studies' });

      assert.equal(reply.status, 302);
      assert.equal(reply.headers.location, `${foreign.url}/b/studies`);
      assert.equal(foreign.seen.length, 0);
    } finally {
      await foreign.stop();
    }
  });

  it('answers 100 Continue to a client that expects it and still injects the token', async () => {
    h = await startHarness((_req, res, body) => json(res, 200, { size: body.length }));
    const body = randomBytes(1024 * 1024);
    const reply = await send(h.base, {
      method: 'POST',
      path: '/oauth-dicom-web/servers/x/studies',
      headers: { expect: '100-continue', 'content-length': String(body.length) },
      body,
    });

    assert.equal(reply.status, 200);
    assert.deepEqual(jsonOf(reply), { size: body.length });
    assert.equal(h.upstream.seen[0]?.headers.authorization, 'Bearer tok-1');
    assert.equal(h.upstream.seen[0]?.headers.expect, undefined);
  });
});

describe('routing', () => {
  it('refuses targets that would escape the base, before any token is fetched', async () => {
    h = await startHarness(ok);
    const targets = [
      '/oauth-dicom-web/servers/x/..%2F..%2Fb/studies',
      '/oauth-dicom-web/servers/x/%2e%2e/%2e%2e/b/studies',
      'http://127.0.0.1:9003/b/studies',
    ];
    for (const path of targets) {
      const reply = await send(h.base, { path });
      assert.equal(reply.status, 400, path);
      assert.equal(jsonOf(reply)['error'], 'bad_request');
    }

    assert.equal(h.token.seen.length, 0);
    assert.equal(h.upstream.seen.length, 0);
  });

  it('answers 404 JSON for an unknown server that shares a prefix, with no token fetched', async () => {
    h = await startHarness(ok);
    const reply = await send(h.base, { path: '/oauth-dicom-web/servers/x.evil/studies' });

    assert.equal(reply.status, 404);
    assert.deepEqual(jsonOf(reply)['error'], 'unknown_server');
    assert.equal(h.token.seen.length, 0);
  });
});

describe('when the upstream refuses the token', () => {
  it('purges it, fetches a new one and retries a bodyless request once', async () => {
    h = await startHarness((req, res) => {
      if (req.headers.authorization === 'Bearer tok-1') {
        res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' });
        res.end('expired');
        return;
      }
      json(res, 200, { ok: true });
    });
    const reply = await send(h.base, { path: '/oauth-dicom-web/servers/x/studies' });

    assert.equal(reply.status, 200);
    assert.deepEqual(
      h.upstream.seen.map((s) => s.headers.authorization),
      ['Bearer tok-1', 'Bearer tok-2'],
    );
  });

  it('relays a second 401 instead of looping', async () => {
    h = await startHarness((_req, res) => {
      res.writeHead(401, {
        'www-authenticate':
          'Bearer error="invalid_token", error_description="The audience is invalid"',
      });
      res.end();
    });
    const reply = await send(h.base, { path: '/oauth-dicom-web/servers/x/studies' });

    assert.equal(reply.status, 401);
    assert.match(String(reply.headers['www-authenticate']), /audience is invalid/);
    assert.equal(h.upstream.seen.length, 2);
    assert.equal(h.token.issued.length, 2);
    const servers = jsonOf(await send(h.base, { path: '/dicomweb-oauth/servers' }));
    const [entry] = servers['servers'] as Record<string, Record<string, unknown>>[];
    assert.equal(entry?.['lastRefusal']?.['description'], 'The audience is invalid');
    const warning = h.logs.entries.find((e) => e['description'] === 'The audience is invalid');
    assert.match(String(warning?.['msg']), /check Scope/);
  });

  it('relays the 401 of a streamed upload, and the next request uses a fresh token', async () => {
    h = await startHarness((req, res) => {
      if (req.headers.authorization === 'Bearer tok-1') {
        res.writeHead(401);
        res.end();
        return;
      }
      json(res, 200, {});
    });
    const upload = await send(h.base, {
      method: 'POST',
      path: '/oauth-dicom-web/servers/x/studies',
      body: Readable.from([randomBytes(64 * 1024)]),
    });
    const next = await send(h.base, { path: '/oauth-dicom-web/servers/x/studies' });

    assert.equal(upload.status, 401);
    assert.equal(next.status, 200);
    assert.deepEqual(
      h.upstream.seen.map((s) => s.headers.authorization),
      ['Bearer tok-1', 'Bearer tok-2'],
    );
  });

  it('fetches one new token however many requests are refused at once', async () => {
    h = await startHarness((req, res) => {
      const refused = req.headers.authorization === 'Bearer tok-1';
      setTimeout(() => (refused ? (res.writeHead(401), res.end()) : json(res, 200, {})), 20);
    });
    const replies = await Promise.all(
      Array.from({ length: 20 }, () =>
        send(h!.base, { path: '/oauth-dicom-web/servers/x/studies' }),
      ),
    );

    assert.ok(replies.every((r) => r.status === 200));
    assert.equal(h.token.issued.length, 2);
  });

  it('passes a 403 through at once, keeping the token and fetching none', async () => {
    h = await startHarness((_req, res) =>
      json(res, 403, { error: { code: 403, status: 'PERMISSION_DENIED' } }),
    );
    const first = await send(h.base, {
      method: 'POST',
      path: '/oauth-dicom-web/servers/x/studies',
      body: 'x',
    });
    const second = await send(h.base, { path: '/oauth-dicom-web/servers/x/studies' });

    assert.equal(first.status, 403);
    assert.deepEqual(jsonOf(second), { error: { code: 403, status: 'PERMISSION_DENIED' } });
    assert.equal(h.upstream.seen.length, 2);
    assert.equal(h.token.issued.length, 1);
    const hint = h.logs.entries.find((e) => e['status'] === 403 && e['msg'] !== 'request');
    assert.match(String(hint?.['msg']), /role or scope/);
  });
});

describe('upstream failures', () => {
  it('answers 502 JSON when the upstream cannot be reached', async () => {
    const gone = await new RecordingServer(ok).start();
    const url = `${gone.url}/base/`;
    await gone.stop();
    h = await startHarness(ok, { url });
    const reply = await send(h.base, { path: '/oauth-dicom-web/servers/x/studies' });

    assert.equal(reply.status, 502);
    assert.equal(jsonOf(reply)['error'], 'upstream_unreachable');
    assert.equal(jsonOf(reply)['server'], 'x');
  });

  it('answers 504 JSON when the upstream does not answer in time', async () => {
    h = await startHarness(() => undefined, { upstreamTimeoutSeconds: 0.3 });
    const reply = await send(h.base, { path: '/oauth-dicom-web/servers/x/studies' });

    assert.equal(reply.status, 504);
    assert.equal(jsonOf(reply)['error'], 'upstream_timeout');
  });

  it('breaks the client connection when the upstream resets mid-body, never ending it cleanly', async () => {
    h = await startHarness((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/dicom', 'content-length': '1000000' });
      res.write(Buffer.alloc(100_000));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await assert.rejects(send(h.base, { path: '/oauth-dicom-web/servers/x/studies/1' }));

    const line = h.logs.entries.find((e) => e['msg'] === 'request');
    assert.equal(line?.['error'], 'upstream_broke');
  });
});

describe('the token in logs', () => {
  it('never appears, nor the client secret or the client credentials', async () => {
    h = await startHarness(ok);
    await send(h.base, {
      path: '/oauth-dicom-web/servers/x/studies?PatientName=DOE',
      headers: { authorization: 'Basic b3J0aGFuYzpvcnRoYW5j' },
    });
    await send(h.base, { path: '/dicomweb-oauth/servers' });
    const all = h.logs.all;

    const access = h.logs.entries.find((e) => e['msg'] === 'request' && e['server'] === 'x');
    assert.equal(access?.['method'], 'GET');
    assert.equal(access?.['path'], '/studies');
    assert.equal(access?.['status'], 200);
    assert.equal(typeof access?.['durationMs'], 'number');
    assert.equal(typeof access?.['bytesOut'], 'number');
    for (const secret of [CLIENT_SECRET, ...h.token.issued, 'b3J0aGFuYzpvcnRoYW5j', 'DOE']) {
      assert.ok(!all.includes(secret), `log holds ${secret}`);
    }
  });
});

describe('client authentication at the token endpoint', () => {
  it('sends id and secret in the form with client_secret_post', async () => {
    h = await startHarness(ok, { scope: 'https://dicom.healthcareapis.azure.com/.default' });
    await send(h.base, { path: '/oauth-dicom-web/servers/x/studies' });
    const form = new URLSearchParams(h.token.seen[0]?.body.toString());

    assert.equal(form.get('grant_type'), 'client_credentials');
    assert.equal(form.get('client_id'), 'harness-client');
    assert.equal(form.get('client_secret'), CLIENT_SECRET);
    assert.equal(form.get('scope'), 'https://dicom.healthcareapis.azure.com/.default');
    assert.equal(h.token.seen[0]?.headers.authorization, undefined);
  });

  it('sends form-encoded credentials in Basic with client_secret_basic, and none in the form', async () => {
    const secret = 'a:b+c%d ~e';
    h = await startHarness(ok, { clientAuthMethod: 'client_secret_basic', clientSecret: secret });
    await send(h.base, { path: '/oauth-dicom-web/servers/x/studies' });
    const seen = h.token.seen[0];
    const form = new URLSearchParams(seen?.body.toString());
    const basic = Buffer.from(String(seen?.headers.authorization).slice(6), 'base64').toString();

    assert.equal(basic, 'harness-client:a%3Ab%2Bc%25d+~e');
    assert.equal(form.get('client_secret'), null);
    assert.equal(form.get('client_id'), null);
  });
});

describe('connections', () => {
  it('stay open after the service answers an error itself, for a request without a body', async () => {
    h = await startHarness(ok);
    const reply = await send(h.base, {
      path: '/oauth-dicom-web/servers/nope/studies',
      headers: { connection: 'keep-alive' },
    });

    assert.equal(reply.status, 404);
    assert.equal(reply.headers.connection, 'keep-alive');
  });
});
