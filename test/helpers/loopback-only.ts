import { networkInterfaces } from 'node:os';

/**
 * Throws unless every network interface of this process is loopback. Orthanc listens on every
 * interface and cannot be told otherwise, so it may run only where that means loopback alone:
 * inside the private network namespace of `scripts/in-netns.sh`.
 */
export function assertLoopbackOnly(): void {
  const exposed = Object.entries(networkInterfaces()).flatMap(([name, addresses]) =>
    (addresses ?? []).filter((a) => !a.internal).map((a) => `${name} ${a.address}`),
  );
  if (exposed.length === 0) {
    return;
  }

  throw new Error(
    'refusing to start Orthanc: it would listen on non-loopback interfaces ' +
      `(${exposed.join(', ')}). Run the test inside a loopback-only network namespace: ` +
      'bash scripts/in-netns.sh node --test <file>',
  );
}
