/** Waits for a server this bench started to answer 200, unless its process ends first. */
import type { ChildProcess } from 'node:child_process';
import { hasExited } from '../../test/helpers/child-process.ts';
import { pollUntil } from '../../test/helpers/poll.ts';

export async function waitForAnswer(child: ChildProcess, url: string, what: string): Promise<void> {
  const state = await pollUntil<'answering' | 'exited'>(
    async () => {
      if (hasExited(child)) return 'exited';

      const answer = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await answer.body?.cancel();
      return answer.status === 200 ? 'answering' : undefined;
    },
    { what: `${what} to answer 200 at ${url}`, timeoutMs: 20_000 },
  );

  if (state === 'exited') {
    throw new Error(`${what} exited (code ${child.exitCode}, signal ${child.signalCode})`);
  }
}
