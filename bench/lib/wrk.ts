/**
 * The small-request client: wrk with one thread, so it leaves the CPU to the proxy. Its report
 * is parsed for requests/s and the latency distribution; socket errors or answers other than
 * 2xx/3xx throw, because figures from failed requests would flatter whoever failed.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { track } from './children.ts';

const run = promisify(execFile);

export const WRK_BINARY = '/usr/bin/wrk';

export interface WrkResult {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export async function runWrk(
  url: string,
  connections: number,
  durationSeconds: number,
): Promise<WrkResult> {
  const args = ['-t1', `-c${connections}`, `-d${durationSeconds}s`, '--latency', '--timeout', '5s'];
  const pending = run(WRK_BINARY, [...args, url], {
    encoding: 'utf8',
    // wrk stops by itself; this only bounds a wrk that hangs.
    timeout: (durationSeconds + 30) * 1000,
  });
  track(pending.child);
  const { stdout } = await pending;

  return parseWrk(stdout, url);
}

/** Reads the text report of wrk 4. */
export function parseWrk(report: string, url: string): WrkResult {
  const fail = (why: string): never => {
    throw new Error(`wrk against ${url}: ${why}\n${report}`);
  };

  const socketErrors = /Socket errors: (.*)/.exec(report);
  if (socketErrors) fail(`socket errors (${socketErrors[1]})`);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(report);
  if (non2xx) fail(`${non2xx[1]} answers were not 2xx or 3xx`);

  const total = /(\d+) requests in /.exec(report);
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(report);
  if (!total || !rate) return fail('no request count in the report');
  if (Number(total[1]) === 0) fail('no request completed');

  return {
    requests: Number(total[1]),
    requestsPerSecond: Number(rate[1]),
    p50Ms: percentileMs(report, 50) ?? fail('no 50% latency'),
    p99Ms: percentileMs(report, 99) ?? fail('no 99% latency'),
  };
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** A line of the "Latency Distribution" block, such as `     99%    4.21ms`. */
function percentileMs(report: string, percent: number): number | undefined {
  const line = new RegExp(`^\\s+${percent}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(report);
  if (!line) return undefined;

  return Number(line[1]) * (UNIT_MS[line[2] as string] as number);
}
