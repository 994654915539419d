/**
 * nginx from the Debian package, run in the foreground from bench/nginx/proxy.conf.template with
 * everything (configuration, logs, pid, temporary files) under a directory of its own. It never
 * touches the system configuration and listens on 127.0.0.1 only.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from '../../test/helpers/child-process.ts';
import { freeLoopbackPort } from '../../test/helpers/free-port.ts';
import { track, trackDirectory } from './children.ts';
import { childPids } from './proc-usage.ts';
import { waitForAnswer } from './wait-answer.ts';

export const NGINX_BINARY = '/usr/sbin/nginx';

const TEMPLATE = new URL('../nginx/proxy.conf.template', import.meta.url);

/** Extra directives of the variant with 64 KiB buffers. */
export const BUFFERS_64K = [
  // With proxy_buffering off, the most read from the upstream at a time.
  'proxy_buffer_size 64k;',
  'proxy_buffers 4 64k;',
  // With proxy_request_buffering off, the most read from the client at a time.
  'client_body_buffer_size 64k;',
];

export interface RunningNginx {
  port: number;
  /** Master and workers: their CPU and memory are the proxy's. */
  pids: () => number[];
  errorLog: () => Promise<string>;
  stop: () => Promise<void>;
}

export async function startNginx(originPort: number, directives: string[]): Promise<RunningNginx> {
  const prefix = await mkdtemp(join(tmpdir(), 'bench-nginx-'));
  const directory = trackDirectory(prefix);
  const port = await freeLoopbackPort();
  const config = (await readFile(TEMPLATE, 'utf8'))
    .replaceAll('{{PREFIX}}', prefix)
    .replaceAll('{{PORT}}', String(port))
    .replaceAll('{{ORIGIN_PORT}}', String(originPort))
    .replace('{{BUFFER_DIRECTIVES}}', directives.join('\n            '));
  const configFile = join(prefix, 'nginx.conf');
  await writeFile(configFile, config);

  const errorLogFile = join(prefix, 'error.log');
  const child = track(
    spawn(
      NGINX_BINARY,
      [
        ...['-p', `${prefix}/`, '-c', configFile, '-e', errorLogFile],
        ...['-g', `daemon off; pid ${join(prefix, 'nginx.pid')};`],
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    ),
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const errorLog = async (): Promise<string> =>
    `${stderr}${await readFile(errorLogFile, 'utf8').catch(() => '')}`;
  const stop = async (): Promise<void> => {
    await stopChild(child);
    await rm(prefix, { recursive: true, force: true });
    directory.forget();
  };

  try {
    await waitForAnswer(child, `http://127.0.0.1:${port}/qido`, 'nginx');
  } catch (error) {
    const log = await errorLog();
    await stop();
    throw new Error(`nginx did not start: ${String(error)}\n${log}`, { cause: error });
  }

  const master = child.pid ?? 0;
  return { port, pids: () => [master, ...childPids(master)], errorLog, stop };
}
