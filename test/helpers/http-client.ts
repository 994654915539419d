/** A raw HTTP client for tests: sends exactly the target and headers it is given. */
import { request, type IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface SendOptions {
  method?: string;
  /** Sent as is, so tests can use odd or absolute-form targets. */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: Buffer | string | Readable;
}

export function send(base: string, opts: SendOptions): Promise<Reply> {
  const url = new URL(base);

  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: opts.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    const body = opts.body;
    if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
      req.end(body);
    } else {
      body.pipe(req);
    }
  });
}

export function jsonOf(reply: Reply): Record<string, unknown> {
  return JSON.parse(reply.body.toString('utf8')) as Record<string, unknown>;
}
