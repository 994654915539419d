// The token gate stands for the cloud store's front door in the end-to-end tests; if it let
// everything through, those tests would prove nothing. This pins what it refuses and what it
// passes on, against the same real OAuth server, with a plain HTTP server behind it.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { decodeJwt } from 'jose';
import { after, before, describe, it } from 'node:test';
import { closeHttpServer, listenOnLoopback } from '../helpers/loopback-listen.ts';
import { startOAuthServer, type RunningOAuthServer } from '../helpers/oauth-server.ts';
import { Teardown } from '../helpers/teardown.ts';
import { startTokenGate, type RunningTokenGate } from '../helpers/token-gate.ts';

describe('the token gate of the end-to-end tests', () => {
  const teardown = new Teardown();
  const upstreamSaw: IncomingHttpHeaders[] = [];
  let oauth: RunningOAuthServer;
  let gate: RunningTokenGate;
  /** The gate's clock, moved by hand to expire tokens without waiting. */
  let gateNowMs = Date.now();

  before(
    async () => {
      oauth = await startOAuthServer({ accessTokenTtlSeconds: 60 });
      teardown.add('OAuth server', () => oauth.close());

      // Answers with the SHA-256 of the body it received, so streaming is checked end to end.
      const upstream = createServer((request, response) => {
        upstreamSaw.push(request.headers);
        const hash = createHash('sha256');
        request.on('data', (chunk: Buffer) => hash.update(chunk));
        request.on('end', () => response.end(hash.digest('hex')));
      });
      const upstreamPort = await listenOnLoopback(upstream);
      teardown.add('upstream', () => closeHttpServer(upstream));

      gate = await startTokenGate({
        upstream: `http://127.0.0.1:${upstreamPort}`,
        jwksUrl: oauth.jwksUrl,
        issuer: oauth.issuer,
        audience: oauth.audience,
        now: () => new Date(gateNowMs),
      });
      teardown.add('gate', () => gate.close());
    },
    { timeout: 10_000 },
  );

  after(() => teardown.run(), { timeout: 10_000 });

  it('passes a valid token, streams the body and drops the Authorization', async () => {
    const body = randomBytes(8 * 1024 * 1024);
    const answer = await send(`Bearer ${await oauth.requestToken()}`, body);

    assert.equal(answer.status, 200);
    assert.equal(await answer.text(), createHash('sha256').update(body).digest('hex'));
    assert.equal(upstreamSaw.at(-1)?.authorization, undefined);
    assert.equal(gate.stats.accepted, 1);
  });

  it('refuses a request without a token, or with one that does not verify', async () => {
    const token = await oauth.requestToken();
    const forged = `${token.slice(0, -4)}AAAA`;
    const refused = [undefined, 'Basic dXNlcjpwYXNz', 'Bearer not-a-jwt', `Bearer ${forged}`];

    for (const authorization of refused) {
      const answer = await send(authorization);
      assert.equal(answer.status, 401, String(authorization));
      assert.equal(answer.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    }
    assert.equal(gate.stats.rejections.length, refused.length);
    assert.equal(upstreamSaw.length, 1, 'nothing refused reaches the upstream');
  });

  it('refuses a token once it has expired, allowing one second for rounding', async () => {
    const token = await oauth.requestToken();
    const expiresAtMs = (decodeJwt(token).exp ?? 0) * 1000;
    const rejectedBefore = gate.stats.rejections.length;

    gateNowMs = expiresAtMs + 500;
    assert.equal((await send(`Bearer ${token}`)).status, 200);
    gateNowMs = expiresAtMs + 2_000;
    assert.equal((await send(`Bearer ${token}`)).status, 401);
    assert.equal(gate.stats.rejections.length, rejectedBefore + 1);
  });

  async function send(authorization: string | undefined, body?: Uint8Array): Promise<Response> {
    const headers = authorization === undefined ? {} : { authorization };
    return fetch(`${gate.origin}/dicom-web/studies`, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(10_000),
    });
  }
});
