/**
 * Starts one of the bench's own Node scripts as a child process and waits for the JSON line it
 * prints once it listens. Its other output is kept for the error message if it fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { stopChild } from '../../test/helpers/child-process.ts';
import { track } from './children.ts';

export interface ReadyChild<T> {
  child: ChildProcess;
  pid: number;
  /** The first line it printed, parsed. */
  ready: T;
  output: () => string;
  stop: () => Promise<void>;
}

export async function startReadyChild<T>(
  script: string,
  args: string[],
  timeoutMs = 10_000,
): Promise<ReadyChild<T>> {
  const child = track(
    spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  const chunks: string[] = [];
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => chunks.push(chunk));
  const output = (): string => chunks.join('');

  try {
    const line = await firstLine(child, timeoutMs);
    // Later stdout is not read by anyone: let it flow so the child never blocks on a full pipe.
    child.stdout.resume();

    return {
      child,
      pid: child.pid ?? 0,
      ready: JSON.parse(line) as T,
      output,
      stop: () => stopChild(child),
    };
  } catch (error) {
    await stopChild(child);
    throw new Error(`${script} did not start: ${String(error)}\n${output()}`, { cause: error });
  }
}

function firstLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  const stdout = child.stdout!.setEncoding('utf8');
  let text = '';

  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`no ready line in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onData = (chunk: string): void => {
      text += chunk;
      const end = text.indexOf('\n');
      if (end >= 0) finish(undefined, text.slice(0, end));
    };
    const onExit = (code: number | null, signal: string | null): void =>
      finish(new Error(`it exited (code ${code}, ${signal})`));
    function finish(error: Error | undefined, line = ''): void {
      clearTimeout(timer);
      stdout.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(line);
    }

    stdout.on('data', onData);
    child.once('exit', onExit);
  });
}
