/**
 * The product under test: the compiled service (`npm run build` writes dist/), started the way
 * an operator starts it, `node dist/cli/main.js serve --config <file>`, with one server `bench`
 * whose upstream and token endpoint are the bench's origin. Its log lines go to a file, as they
 * would to a journal, so no reader of a pipe runs on the bench's CPUs.
 */
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopChild } from '../../test/helpers/child-process.ts';
import { freeLoopbackPort } from '../../test/helpers/free-port.ts';
import { track, trackDirectory } from './children.ts';
import type { RunningOrigin } from './origin.ts';
import { waitForAnswer } from './wait-answer.ts';

export const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));
export const PRODUCT_ENTRY = join(REPOSITORY, 'dist', 'cli', 'main.js');

/** The path prefix that routes to the server `bench`. */
export const PRODUCT_PREFIX = '/oauth-dicom-web/servers/bench';

export interface RunningProduct {
  port: number;
  pid: number;
  /** What it logged so far. */
  log: () => Promise<string>;
  stop: () => Promise<void>;
}

export async function startBenchProduct(
  origin: RunningOrigin,
  logLevel: 'warn' | 'info',
): Promise<RunningProduct> {
  if (!existsSync(PRODUCT_ENTRY)) {
    throw new Error(`${PRODUCT_ENTRY} is missing: build the product first (npm run build)`);
  }

  const directory = await mkdtemp(join(tmpdir(), 'bench-product-'));
  const tracked = trackDirectory(directory);
  const port = await freeLoopbackPort();
  const configFile = join(directory, 'config.json');
  const logFile = join(directory, 'product.log');
  await writeFile(configFile, JSON.stringify(benchConfig(origin, port, logLevel), null, 2));

  const logFd = openSync(logFile, 'w');
  const child = track(
    spawn(process.execPath, [PRODUCT_ENTRY, 'serve', '--config', configFile], {
      cwd: REPOSITORY,
      stdio: ['ignore', logFd, logFd],
    }),
  );
  closeSync(logFd);
  const log = (): Promise<string> => readFile(logFile, 'utf8');
  const stop = async (): Promise<void> => {
    await stopChild(child);
    await rm(directory, { recursive: true, force: true });
    tracked.forget();
  };

  try {
    await waitForAnswer(child, `http://127.0.0.1:${port}/dicomweb-oauth/status`, 'the product');
  } catch (error) {
    const output = await log().catch(() => '');
    await stop();
    throw new Error(`the product did not start: ${String(error)}\n${output}`, { cause: error });
  }

  return { port, pid: child.pid ?? 0, log, stop };
}

function benchConfig(origin: RunningOrigin, port: number, logLevel: string): object {
  return {
    DicomWebOAuth: {
      Listen: `127.0.0.1:${port}`,
      LogFormat: 'json',
      LogLevel: logLevel,
      Servers: {
        bench: {
          Url: `${origin.url}/`,
          TokenEndpoint: origin.tokenEndpoint,
          ClientId: 'bench',
          ClientSecret: 'bench-secret-not-used-anywhere-else',
        },
      },
    },
  };
}
