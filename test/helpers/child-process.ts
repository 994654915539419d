import type { ChildProcess } from 'node:child_process';

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves when the child has exited, or after `timeoutMs`; true when it did exit. */
export async function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) {
    return true;
  }

  const exited = new Promise<true>((resolve) => child.once('exit', () => resolve(true)));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([exited, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Stops a child this test started, by its pid: SIGTERM, then SIGKILL if it is still there after
 * `graceMs`. Never throws, so teardown goes on to the next component.
 */
export async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (hasExited(child)) {
    return;
  }

  child.kill('SIGTERM');
  if (await waitForExit(child, graceMs)) {
    return;
  }

  child.kill('SIGKILL');
  await waitForExit(child, graceMs);
}
