/** Exponential backoff with jitter, so a fleet of sidecars does not retry in lock step. */

export interface BackoffOptions {
  /** Delay before the first retry, before jitter. */
  baseMs: number;
  /** No delay grows past this. */
  maxMs: number;
}

/**
 * Delay before retry number `failures` (1 = after the first failure): doubling from `baseMs`,
 * then a random point in its upper half ("equal jitter"), which keeps a floor under the wait.
 */
export function backoffDelay(failures: number, opts: BackoffOptions, random = Math.random): number {
  const exponent = Math.max(0, failures - 1);
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(exponent, 30));

  return ceiling / 2 + random() * (ceiling / 2);
}
