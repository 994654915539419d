/**
 * Load for the token benchmarks: a burst of simultaneous GETs, or a steady stream of them,
 * each timed from the moment it is handed to the client until its body has been read.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';

export interface TimedAnswer {
  status: number;
  /** `performance.now()` when the request was handed to the client. */
  sentAt: number;
  latencyMs: number;
  retryAfter?: string;
  /** Why no answer came, when status is 0. */
  error?: string;
}

export interface LatencySummary {
  p50: number;
  p99: number;
  max: number;
}

/** Sends `count` GETs at once, each on its own connection, and waits for every answer. */
export async function burst(origin: string, path: string, count: number): Promise<TimedAnswer[]> {
  const pool = new Pool(origin, { connections: count });
  try {
    return await Promise.all(Array.from({ length: count }, () => timedGet(pool, path)));
  } finally {
    await pool.close();
  }
}

export interface StreamOptions {
  /** A new request starts this often, whether the earlier ones have been answered or not. */
  intervalMs: number;
  /** Stop after this many requests. */
  count?: number;
  /** Stop starting requests at this `performance.now()`. */
  endsAt?: number;
}

/** Starts a GET every `intervalMs` until told to stop, and waits for every answer. */
export async function steadyStream(
  origin: string,
  path: string,
  options: StreamOptions,
): Promise<TimedAnswer[]> {
  // Enough connections that no request queues in this client while earlier ones wait.
  const pool = new Pool(origin, { connections: 512 });
  const pending: Array<Promise<TimedAnswer>> = [];
  const more = (): boolean =>
    pending.length < (options.count ?? Infinity) &&
    performance.now() < (options.endsAt ?? Infinity);
  try {
    while (more()) {
      pending.push(timedGet(pool, path));
      await sleep(options.intervalMs);
    }

    return await Promise.all(pending);
  } finally {
    await pool.close();
  }
}

/** Never throws: a request that failed without an answer has status 0 and the error. */
async function timedGet(pool: Pool, path: string): Promise<TimedAnswer> {
  const sentAt = performance.now();
  try {
    const answer = await pool.request({ path, method: 'GET' });
    await answer.body.text();
    const retryAfter = answer.headers['retry-after'];

    return {
      status: answer.statusCode,
      sentAt,
      latencyMs: performance.now() - sentAt,
      retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
    };
  } catch (error) {
    return { status: 0, sentAt, latencyMs: performance.now() - sentAt, error: String(error) };
  }
}

export function latencySummary(answers: readonly TimedAnswer[]): LatencySummary {
  const sorted = answers.map((a) => a.latencyMs).sort((a, b) => a - b);

  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? NaN };
}

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: readonly number[], fraction: number): number {
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));

  return sorted[rank - 1] ?? NaN;
}

/** How many answers had each status, e.g. `{ "200": 1000 }`. */
export function statusCounts(answers: readonly TimedAnswer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;

  return counts;
}
