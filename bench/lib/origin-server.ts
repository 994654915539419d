/**
 * The bench's upstream, run as a process of its own so its CPU never mixes with the runner's or
 * a proxy's. On 127.0.0.1 only, it serves:
 *
 * - `POST /upload`: reads the body and drops it; answers `{"bytes": <count>}`.
 * - `GET /download?bytes=N`: N bytes, written from one preallocated buffer.
 * - `GET /qido`: a fixed JSON answer of about 2 KB, the size of a QIDO-RS study search.
 * - `POST /token`: a client-credentials token that lives `--token-seconds`.
 * - `GET /stats`: token calls so far, and what `Authorization` each request carried.
 *
 * Usage: node bench/lib/origin-server.ts --token-seconds 20
 * Prints one JSON line `{"port": …}` once it listens; stops on SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { 'token-seconds': { type: 'string', default: '20' } } });
const tokenLifetimeSeconds = Number(values['token-seconds']);

const CHUNK = Buffer.alloc(1024 * 1024, 'dicom');
const QIDO_BODY = Buffer.from(JSON.stringify(qidoMatches(4)));

/** Every token issued, with when it expires (ms since the epoch). */
const issued = new Map<string, number>();
const stats = {
  tokenCalls: 0,
  /** What Authorization each data request carried. */
  authorization: { none: 0, static: 0, valid: 0, expired: 0, unknown: 0 },
};

const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
  const url = new URL(req.url ?? '/', 'http://origin');
  if (url.pathname === '/token') return issueToken(req, res);
  if (url.pathname === '/stats') return sendJson(res, 200, stats);

  countAuthorization(req.headers.authorization);
  if (url.pathname === '/upload') return consumeUpload(req, res);
  if (url.pathname === '/download') return sendBytes(res, Number(url.searchParams.get('bytes')));
  if (url.pathname === '/qido') return sendQido(res);

  sendJson(res, 404, { error: 'not_found' });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});

function countAuthorization(header: string | undefined): void {
  const counts = stats.authorization;
  if (header === undefined) {
    counts.none += 1;
  } else if (header === 'Bearer static') {
    counts.static += 1;
  } else {
    const expiresAtMs = issued.get(header.replace(/^Bearer /, ''));
    if (expiresAtMs === undefined) counts.unknown += 1;
    else if (Date.now() < expiresAtMs) counts.valid += 1;
    else counts.expired += 1;
  }
}

function issueToken(req: IncomingMessage, res: ServerResponse): void {
  stats.tokenCalls += 1;
  req.resume();
  req.once('end', () => {
    const token = randomBytes(24).toString('base64url');
    issued.set(token, Date.now() + tokenLifetimeSeconds * 1000);
    sendJson(res, 200, {
      access_token: token,
      token_type: 'Bearer',
      expires_in: tokenLifetimeSeconds,
    });
  });
}

function consumeUpload(req: IncomingMessage, res: ServerResponse): void {
  let bytes = 0;
  req.on('data', (chunk: Buffer) => (bytes += chunk.length));
  req.once('end', () => sendJson(res, 200, { bytes }));
}

function sendBytes(res: ServerResponse, total: number): void {
  if (!Number.isSafeInteger(total) || total < 0) return sendJson(res, 400, { error: 'bytes' });

  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': total });
  let left = total;
  const writeMore = (): void => {
    while (left > 0) {
      const chunk = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
      left -= chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', writeMore);
        return;
      }
    }
    res.end();
  };
  writeMore();
}

function sendQido(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'application/dicom+json',
    'content-length': QIDO_BODY.length,
  });
  res.end(QIDO_BODY);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Study-level QIDO-RS matches in DICOM JSON, `count` of them (about 500 bytes each). */
function qidoMatches(count: number): object[] {
  return Array.from({ length: count }, (_, i) => ({
    '00080020': { vr: 'DA', Value: ['20240115'] },
    '00080030': { vr: 'TM', Value: ['101500.000'] },
    '00080050': { vr: 'SH', Value: [`ACC${1000 + i}`] },
    '00080061': { vr: 'CS', Value: ['CT', 'SR'] },
    '00080090': { vr: 'PN', Value: [{ Alphabetic: 'Referring^Doctor' }] },
    '00100010': { vr: 'PN', Value: [{ Alphabetic: `Patient^Bench${i}` }] },
    '00100020': { vr: 'LO', Value: [`PID${2000 + i}`] },
    '00100030': { vr: 'DA', Value: ['19700101'] },
    '0020000D': { vr: 'UI', Value: [`1.2.826.0.1.3680043.8.498.1${i}.${20240115101500 + i}`] },
    '00200010': { vr: 'SH', Value: ['1'] },
    '00201206': { vr: 'IS', Value: [2] },
    '00201208': { vr: 'IS', Value: [412] },
  }));
}
