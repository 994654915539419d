/**
 * The processes one section measures: the origin, and in front of it each proxy path to compare.
 * A variant is a way to reach the origin; its `pids` are the processes whose CPU and memory
 * are the proxy's (none for `direct`).
 */
import { Teardown } from '../../test/helpers/teardown.ts';
import { startReadyChild } from './ready-child.ts';
import { BUFFERS_64K, startNginx } from './nginx.ts';
import { startOrigin, type RunningOrigin } from './origin.ts';
import { PRODUCT_PREFIX, startBenchProduct } from './product.ts';

export const VARIANTS = {
  direct: 'direct',
  product: 'product',
  productInfoLogs: 'product (info logs)',
  nginx: 'nginx',
  nginx64k: 'nginx (64k buffers)',
  minimal: 'minimal node proxy',
} as const;

export type VariantName = (typeof VARIANTS)[keyof typeof VARIANTS];

export interface Variant {
  name: VariantName;
  /** Where the origin's paths start on this variant: `url('/qido')` is the full URL. */
  url(path: string): string;
  /** The proxy's processes, read afresh each time (nginx could replace a worker). */
  pids(): number[];
}

export interface Rig {
  origin: RunningOrigin;
  variants: Variant[];
  /** Every process of the rig: the origin and all the proxies, measured or idle. */
  pids: () => number[];
  /** What a proxy logged (the product's log, nginx's error log); empty for the others. */
  log(name: VariantName): Promise<string>;
  stop(): Promise<void>;
}

const MINIMAL_PROXY = new URL('../minimal-proxy.ts', import.meta.url).pathname;

/** Starts the origin and the variants asked for, in that order; stops all if one fails. */
export async function startRig(names: VariantName[], tokenLifetimeSeconds: number): Promise<Rig> {
  const teardown = new Teardown();
  const logs = new Map<VariantName, () => Promise<string>>();
  try {
    const origin = await startOrigin(tokenLifetimeSeconds);
    teardown.add('origin', origin.stop);

    const variants: Variant[] = [];
    for (const name of names) {
      variants.push(await startVariant(name, origin, teardown, logs));
    }

    return {
      origin,
      variants,
      pids: () => [origin.pid, ...variants.flatMap((v) => v.pids())],
      log: (name) => logs.get(name)?.() ?? Promise.resolve(''),
      stop: () => teardown.run(),
    };
  } catch (error) {
    await teardown.run();
    throw error;
  }
}

async function startVariant(
  name: VariantName,
  origin: RunningOrigin,
  teardown: Teardown,
  logs: Map<VariantName, () => Promise<string>>,
): Promise<Variant> {
  const at =
    (port: number, prefix = '') =>
    (path: string) =>
      `http://127.0.0.1:${port}${prefix}${path}`;

  switch (name) {
    case 'direct':
      return { name, url: at(origin.port), pids: () => [] };

    case 'product':
    case 'product (info logs)': {
      const product = await startBenchProduct(origin, name === 'product' ? 'warn' : 'info');
      teardown.add(name, product.stop);
      logs.set(name, product.log);
      return { name, url: at(product.port, PRODUCT_PREFIX), pids: () => [product.pid] };
    }

    case 'nginx':
    case 'nginx (64k buffers)': {
      const nginx = await startNginx(origin.port, name === 'nginx' ? [] : BUFFERS_64K);
      teardown.add(name, nginx.stop);
      logs.set(name, nginx.errorLog);
      return { name, url: at(nginx.port), pids: nginx.pids };
    }

    case 'minimal node proxy': {
      const proxy = await startReadyChild<{ port: number }>(MINIMAL_PROXY, [origin.url]);
      teardown.add(name, proxy.stop);
      return { name, url: at(proxy.ready.port), pids: () => [proxy.pid] };
    }
  }
}
