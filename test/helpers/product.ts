import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasExited, stopChild } from './child-process.ts';
import { pollUntil } from './poll.ts';

const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));
const COMMAND = join(REPOSITORY, 'bin', 'dicomweb-oauth.js');

export interface ProductOptions {
  /** The whole configuration file: an object with a `DicomWebOAuth` section. */
  config: object;
  /** Default 20 s. */
  startTimeoutMs?: number;
  /** The script Node runs; default the checkout's `bin/dicomweb-oauth.js`. */
  entryPoint?: string;
}

/**
 * A whole configuration file with one server, listening on a port the system picks and
 * logging JSON (which `startProduct` reads the port from).
 */
export function oneServerConfig(name: string, server: Record<string, unknown>): object {
  return {
    DicomWebOAuth: {
      Listen: '127.0.0.1:0',
      LogFormat: 'json',
      LogLevel: 'info',
      Servers: { [name]: server },
    },
  };
}

export interface RunningProduct {
  port: number;
  pid: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Everything it wrote to stdout and stderr so far, interleaved as it came. */
  output(): string;
  /** Its stdout lines that parse as JSON log records. */
  logRecords(): Array<Record<string, unknown>>;
  /** SIGTERM by pid (SIGKILL after a bound), then removes its config directory. */
  stop(): Promise<void>;
}

/**
 * Runs the product the way an operator does, `dicomweb-oauth serve --config <file>`, as a child
 * of this Node. The listen address should use port 0: the bound port is read from its
 * `"msg":"listening"` log line, so `LogFormat` must be `json`.
 */
export async function startProduct(options: ProductOptions): Promise<RunningProduct> {
  const directory = await mkdtemp(join(tmpdir(), 'e2e-product-'));
  const configFile = join(directory, 'config.json');
  await writeFile(configFile, JSON.stringify(options.config, null, 2));

  const entryPoint = options.entryPoint ?? COMMAND;
  const child = spawn(process.execPath, [entryPoint, 'serve', '--config', configFile], {
    cwd: REPOSITORY,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = captureOutput(child);
  const stop = async (): Promise<void> => {
    await stopChild(child);
    await rm(directory, { recursive: true, force: true });
  };

  try {
    const port = await pollUntil(
      () => (hasExited(child) ? 'exited' : listeningPort(output.records())),
      { what: 'the product to log "listening"', timeoutMs: options.startTimeoutMs ?? 20_000 },
    );
    if (port === 'exited') {
      throw new Error(`it exited (code ${child.exitCode}, ${child.signalCode})`);
    }

    const origin = `http://127.0.0.1:${port}`;
    await waitForStatus(origin);
    return {
      port,
      pid: child.pid ?? 0,
      origin,
      output: output.text,
      logRecords: output.records,
      stop,
    };
  } catch (error) {
    await stop();
    const message = `the product did not start: ${String(error)}`;
    throw new Error(`${message}\n--- its output:\n${output.text()}`, { cause: error });
  }
}

function captureOutput(child: ChildProcess) {
  const chunks: string[] = [];
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    chunks.push(chunk);
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => chunks.push(chunk));
  child.on('error', (error) => chunks.push(`spawn failed: ${String(error)}\n`));

  const records = (): Array<Record<string, unknown>> => stdout.split('\n').flatMap(parseRecord);
  return { text: () => chunks.join(''), records };
}

/** The line as a one-element list when it is a JSON object, else an empty one. */
function parseRecord(line: string): Array<Record<string, unknown>> {
  try {
    const value: unknown = JSON.parse(line);
    return isRecord(value) ? [value] : [];
  } catch {
    return [];
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listeningPort(records: Array<Record<string, unknown>>): number | undefined {
  const line = records.find((record) => record.msg === 'listening');
  return typeof line?.port === 'number' ? line.port : undefined;
}

async function waitForStatus(origin: string): Promise<void> {
  await pollUntil(
    async () => {
      const answer = await fetch(`${origin}/dicomweb-oauth/status`, {
        signal: AbortSignal.timeout(2_000),
      });
      await answer.body?.cancel();
      return answer.status === 200 ? true : undefined;
    },
    { what: `${origin}/dicomweb-oauth/status to answer 200`, timeoutMs: 10_000 },
  );
}
