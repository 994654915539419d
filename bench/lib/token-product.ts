/**
 * The compiled product as the benchmarks run it, and what they read of its token state.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pollUntil } from '../../test/helpers/poll.ts';
import { oneServerConfig } from '../../test/helpers/product.ts';

/** `dist/cli/main.js`: benchmarks measure the build an operator runs, not type stripping. */
export const COMPILED_ENTRY_POINT = fileURLToPath(
  new URL('../../dist/cli/main.js', import.meta.url),
);

/** Throws, saying what to run, when the product has not been built. */
export function compiledEntryPoint(): string {
  if (!existsSync(COMPILED_ENTRY_POINT)) {
    throw new Error(`${COMPILED_ENTRY_POINT} is missing: run \`npm run build\` first`);
  }

  return COMPILED_ENTRY_POINT;
}

export interface BenchServerOptions {
  url: string;
  tokenEndpoint: string;
  tokenWaitSeconds?: number;
}

/** A whole configuration file with one server, `bench`, listening on a loopback port. */
export function singleServerConfig(options: BenchServerOptions): object {
  const wait = options.tokenWaitSeconds;

  return oneServerConfig('bench', {
    Url: options.url,
    TokenEndpoint: options.tokenEndpoint,
    ClientId: 'bench-client',
    ClientSecret: 'bench-secret',
    ...(wait === undefined ? {} : { TokenWaitSeconds: wait }),
  });
}

/** The path, on the product, of `rest` under the `bench` server's URL. */
export function benchRoute(rest: string): string {
  return `/oauth-dicom-web/servers/bench/${rest}`;
}

interface ServerStatus {
  token: { cached: boolean; fetching: boolean; consecutiveFailures: number };
}

/** The token state of the product's first server, from its admin route. */
export async function tokenStatus(origin: string): Promise<ServerStatus['token']> {
  const answer = await fetch(`${origin}/dicomweb-oauth/servers`, {
    signal: AbortSignal.timeout(2_000),
  });
  const body = (await answer.json()) as { servers: ServerStatus[] };
  const first = body.servers[0];
  if (first === undefined) throw new Error('the product reports no server');

  return first.token;
}

/** Waits until the product has failed to get a token at least once. */
export async function waitForTokenFailure(origin: string): Promise<void> {
  await pollUntil(
    async () => {
      const token = await tokenStatus(origin);

      return token.consecutiveFailures > 0 ? true : undefined;
    },
    { what: 'the product to fail to get a token', timeoutMs: 10_000, intervalMs: 20 },
  );
}
