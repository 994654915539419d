/**
 * What a result file records about where it was measured: the machine, the versions of every
 * program and library in the path, and which build of the product ran. Also the check that the
 * load tools are installed, so a machine without them fails with the command that fixes it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { NGINX_BINARY } from './nginx.ts';
import { PRODUCT_ENTRY, REPOSITORY } from './product.ts';
import { WRK_BINARY } from './wrk.ts';

export const CURL_BINARY = '/usr/bin/curl';
const ORTHANC_BINARY = '/usr/sbin/Orthanc';

const PACKAGE_OF: ReadonlyArray<readonly [path: string, debianPackage: string]> = [
  [NGINX_BINARY, 'nginx'],
  [WRK_BINARY, 'wrk'],
  [CURL_BINARY, 'curl'],
];

/** Throws, naming the Debian packages to install, when nginx, wrk or curl is missing. */
export function assertLoadToolsInstalled(): void {
  const missing = PACKAGE_OF.filter(([path]) => !existsSync(path)).map(([, name]) => name);
  if (missing.length === 0) return;

  throw new Error(
    `the benchmarks need the Debian packages ${missing.join(' ')}; ` +
      `install them with: apt-get install -y ${missing.join(' ')} ` +
      '(or run bash scripts/install-deps.sh as root)',
  );
}

export interface Environment {
  machine: { cpuModel: string; cpuCount: number; totalMemoryBytes: number; kernel: string };
  versions: Record<string, string>;
  product: { commit: string; changedFiles: number; build: BuildAge };
}

export function describeEnvironment(): Environment {
  const cpuList = cpus();

  return {
    machine: {
      cpuModel: cpuList[0]?.model ?? 'unknown',
      cpuCount: cpuList.length,
      totalMemoryBytes: totalmem(),
      kernel: release(),
    },
    versions: {
      node: process.version,
      product: packageVersion('.'),
      undici: packageVersion('node_modules/undici'),
      pino: packageVersion('node_modules/pino'),
      nginx: programVersion(NGINX_BINARY, ['-v']),
      wrk: programVersion(WRK_BINARY, ['-v']),
      curl: programVersion(CURL_BINARY, ['--version']),
      orthanc: programVersion(ORTHANC_BINARY, ['--version']),
    },
    product: {
      commit: git(['rev-parse', 'HEAD']),
      changedFiles: git(['status', '--porcelain', '--untracked-files=no'])
        .split('\n')
        .filter((line) => line.trim() !== '').length,
      build: buildAge(),
    },
  };
}

function packageVersion(directory: string): string {
  const file = join(REPOSITORY, directory, 'package.json');

  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** The version a program prints about itself, on stdout or stderr (nginx uses stderr). */
function programVersion(binary: string, args: string[]): string {
  if (!existsSync(binary)) return 'not installed';

  const result = spawnSync(binary, args, { encoding: 'utf8', timeout: 10_000 });
  const text = `${result.stdout}\n${result.stderr}`;

  return /\d+\.\d+[\w.+~-]*/.exec(text)?.[0] ?? 'unknown';
}

function git(args: string[]): string {
  const result = spawnSync('git', args, { cwd: REPOSITORY, encoding: 'utf8', timeout: 10_000 });

  return result.status === 0 ? result.stdout.trim() : 'unknown';
}

export interface BuildAge {
  /** When dist/cli/main.js was written; empty when there is no build. */
  builtAt: string;
  /** When the newest file under src/ changed. */
  newestSourceAt: string;
  /** True when a source file changed after the build: the bench then measures older code. */
  stale: boolean;
}

function buildAge(): BuildAge {
  const built = existsSync(PRODUCT_ENTRY) ? statSync(PRODUCT_ENTRY).mtimeMs : 0;
  const newest = newestMtimeMs(join(REPOSITORY, 'src'));

  return {
    builtAt: built === 0 ? '' : new Date(built).toISOString(),
    newestSourceAt: new Date(newest).toISOString(),
    stale: built < newest,
  };
}

function newestMtimeMs(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }

  return newest;
}
