/**
 * Keeps the memory of a streaming proxy flat by asking V8 for a young-generation collection
 * after every few megabytes of body moved.
 *
 * Each socket read allocates a fresh buffer outside the JavaScript heap; it is freed only when
 * the small object that holds it is collected. The heap itself barely grows while bodies
 * stream, so V8 collects late: measured here, 1 GiB through the proxy left 80-120 MB of dead
 * buffers waiting (peak RSS 175-200 MB), and `--max-semi-space-size` did not change that.
 * A scavenge every 4 MiB keeps the peak near 95-115 MB for no measurable CPU: the young
 * generation is almost empty, so each one takes a fraction of a millisecond.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const BYTES_PER_SCAVENGE = 4 * 1024 * 1024;

type Collect = (options: { type: 'minor' }) => void;

const collect: Collect | undefined = exposeGc();
let sinceLast = 0;

/** Counts bytes moved through the proxy, and collects once enough have passed. */
export function noteBytesMoved(bytes: number): void {
  sinceLast += bytes;
  if (sinceLast < BYTES_PER_SCAVENGE) return;

  sinceLast = 0;
  collect?.({ type: 'minor' });
}

/**
 * `gc` is exposed to new contexts once the flag is set; without it this is a no-op.
 * `DICOMWEB_OAUTH_NO_SCAVENGER=1` turns it off, for benchmarks that compare.
 */
function exposeGc(): Collect | undefined {
  if (process.env['DICOMWEB_OAUTH_NO_SCAVENGER'] === '1') return undefined;

  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('typeof gc === "function" ? gc : undefined');

  return typeof gc === 'function' ? (gc as Collect) : undefined;
}
