/** The handle on the origin process of `origin-server.ts`. */
import { fileURLToPath } from 'node:url';
import { startReadyChild } from './ready-child.ts';

const SCRIPT = fileURLToPath(new URL('origin-server.ts', import.meta.url));

export interface OriginStats {
  tokenCalls: number;
  authorization: { none: number; static: number; valid: number; expired: number; unknown: number };
}

export interface RunningOrigin {
  pid: number;
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  tokenEndpoint: string;
  stats: () => Promise<OriginStats>;
  stop: () => Promise<void>;
}

export async function startOrigin(tokenLifetimeSeconds: number): Promise<RunningOrigin> {
  const started = await startReadyChild<{ port: number }>(SCRIPT, [
    '--token-seconds',
    String(tokenLifetimeSeconds),
  ]);
  const url = `http://127.0.0.1:${started.ready.port}`;

  return {
    pid: started.pid,
    port: started.ready.port,
    url,
    tokenEndpoint: `${url}/token`,
    stats: async () => {
      const answer = await fetch(`${url}/stats`, { signal: AbortSignal.timeout(5_000) });
      return (await answer.json()) as OriginStats;
    },
    stop: started.stop,
  };
}
