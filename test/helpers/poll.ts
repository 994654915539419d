export interface PollOptions {
  /** Says what is awaited, for the timeout message. */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
}

/**
 * Calls `probe` until it returns something other than undefined, and returns that. Fails with
 * the last error the probe threw, if any, once `timeoutMs` has passed.
 */
export async function pollUntil<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  options: PollOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;

  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) {
        return value;
      }
    } catch (error) {
      lastError = error;
    }

    if (Date.now() >= deadline) {
      const last = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`gave up waiting for ${options.what} after ${options.timeoutMs} ms${last}`, {
        cause: lastError,
      });
    }

    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}
