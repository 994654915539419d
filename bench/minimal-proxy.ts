/**
 * The least a Node proxy can do here: node:http in, undici's `stream` out, a fixed bearer
 * header, bodies streamed both ways. No routing, no tokens, no logs, no error mapping beyond
 * 502. It is the ceiling the product is measured against: what this runtime can reach.
 *
 * Usage: node bench/minimal-proxy.ts http://127.0.0.1:<origin-port>
 * Listens on 127.0.0.1 (port chosen by the system), prints `{"port": …}` and runs until SIGTERM.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { Pool } from 'undici';

const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade'];

const origin = process.argv[2] ?? '';
const pool = new Pool(origin, { connections: 64, headersTimeout: 0, bodyTimeout: 0 });

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const copy = { ...headers };
  for (const name of HOP_BY_HOP) delete copy[name];

  return copy;
}

const server = createServer({ requestTimeout: 0, keepAliveTimeout: 65_000 }, (req, res) => {
  const headers = withoutHopByHop(req.headers);
  // undici sets Host itself and cannot send Expect; Node answered `100 Continue` already.
  delete headers.host;
  delete headers.expect;
  headers.authorization = 'Bearer static';
  const hasBody = req.headers['content-length'] !== undefined || 'transfer-encoding' in req.headers;

  pool
    .stream(
      { path: req.url ?? '/', method: req.method as 'GET', headers, body: hasBody ? req : null },
      ({ statusCode, headers: answer }) => {
        res.writeHead(statusCode, withoutHopByHop(answer));
        return res;
      },
    )
    .catch(() => {
      if (res.headersSent) res.destroy();
      else res.writeHead(502).end();
    });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});

process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.destroy();
});
