/**
 * Everything the large and small sections start that outlives a function call: processes and
 * temporary directories. A runner stopped by a signal ends the processes by pid (SIGTERM, so
 * nginx's master takes its workers along; SIGKILL for those still there after a grace period)
 * and removes the directories, instead of leaving an nginx or a proxy behind on loopback.
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { waitForExit } from '../../test/helpers/child-process.ts';
import type { Teardown } from '../../test/helpers/teardown.ts';

const GRACE_MS = 3_000;

const running = new Set<ChildProcess>();
const directories = new Set<string>();
const teardowns = new Set<Teardown>();

/**
 * Registers the undo list of a section that starts its components through the test helpers
 * (Orthancs, OAuth server, product), so a stopped run ends those too. Returns `forget`.
 */
export function trackTeardown(teardown: Teardown): () => void {
  teardowns.add(teardown);

  return () => teardowns.delete(teardown);
}

export function track<T extends ChildProcess>(child: T): T {
  running.add(child);
  child.once('exit', () => running.delete(child));

  return child;
}

/** Registers a temporary directory; `forget` it once removed the normal way. */
export function trackDirectory(path: string): { forget: () => void } {
  directories.add(path);

  return { forget: () => directories.delete(path) };
}

/**
 * Runs the registered undo lists, stops every tracked process that still runs, then removes
 * the tracked directories.
 */
export async function stopAllTracked(): Promise<void> {
  const undo = [...teardowns];
  teardowns.clear();
  await Promise.all(undo.map((teardown) => teardown.run().catch(() => undefined)));

  const children = [...running];
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(
    children.map(async (child) => {
      if (!(await waitForExit(child, GRACE_MS))) child.kill('SIGKILL');
    }),
  );

  for (const path of directories) rmSync(path, { recursive: true, force: true });
  directories.clear();
}
