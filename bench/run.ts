/**
 * `npm run bench`: runs the benchmark sections on loopback, prints a Markdown table for each and
 * writes every sample, with the machine and the versions it ran on, to a JSON file.
 *
 *   node bench/run.ts [--only large,small,tokens,orthanc] [--rounds 3] [--size-mib 1024]
 *     [--duration 5] [--concurrency 1,16,64] [--study-mib 1024] [--orthanc-rounds 8]
 *     [--out bench/results/<timestamp>.json] [--quick]
 *
 * `--quick` runs every section at tiny sizes (the smoke test's run); flags given with it still
 * win. Progress goes to standard error, the tables to standard output. A section that fails is
 * reported and the others still run; the exit code is then 1.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { stopAllTracked } from './lib/children.ts';
import { assertLoadToolsInstalled, describeEnvironment } from './lib/environment.ts';
import { REPOSITORY } from './lib/product.ts';
import { formatFailure, formatHeader, formatSection } from './report.ts';
import { largeSection } from './sections/large.ts';
import { orthancSection } from './sections/orthanc.ts';
import { smallSection } from './sections/small.ts';
import { tokensSection } from './sections/tokens.ts';
import type { BenchOptions, BenchSection, SectionResult } from './types.ts';

const SECTIONS: BenchSection[] = [largeSection, smallSection, tokensSection, orthancSection];

const DEFAULTS = {
  rounds: '3',
  'size-mib': '1024',
  duration: '5',
  concurrency: '1,16,64',
  'study-mib': '1024',
  'orthanc-rounds': '8',
};

/** Small enough for the smoke test to finish in well under a minute. */
const QUICK: typeof DEFAULTS = {
  rounds: '1',
  'size-mib': '16',
  duration: '1',
  concurrency: '16',
  'study-mib': '16',
  'orthanc-rounds': '1',
};

type Outcome = SectionResult | { id: string; error: string };

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options.only.has('large') || options.only.has('small')) assertLoadToolsInstalled();

  const environment = describeEnvironment();
  if (environment.product.build.stale) {
    console.error('bench: dist/ is older than src/; run `npm run build` to measure the sources');
  }
  console.log(formatHeader(environment, options));

  const startedAt = new Date();
  // Someone else's load on the machine shows here; the bench's own does too, so compare.
  const loadAverage: Record<string, number[]> = { atStart: loadavg() };
  const outcomes: Outcome[] = [];
  for (const section of SECTIONS.filter((s) => options.only.has(s.id))) {
    console.error(`bench: running ${section.id}`);
    outcomes.push(await runSection(section, options));
    loadAverage[`after ${section.id}`] = loadavg();
  }
  const finishedAt = new Date();

  await mkdir(dirname(options.outFile), { recursive: true });
  const record = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    ...environment,
    options: { ...options, only: [...options.only] },
    loadAverage,
    sections: outcomes,
  };
  await writeFile(options.outFile, `${JSON.stringify(record, null, 2)}\n`);
  console.error(`bench: results written to ${options.outFile} (${record.seconds.toFixed(0)} s)`);

  return outcomes.some((o) => 'error' in o) ? 1 : 0;
}

async function runSection(section: BenchSection, options: BenchOptions): Promise<Outcome> {
  try {
    const result = await section.run(options);
    assertMeasured(result);
    console.log(formatSection(result));
    return result;
  } catch (error) {
    console.log(formatFailure(section.id, error));
    return { id: section.id, error: error instanceof Error ? (error.stack ?? '') : String(error) };
  }
}

/** A section whose figures came out empty, infinite or NaN measured nothing: say so. */
function assertMeasured(result: SectionResult): void {
  if (result.samples.length === 0) throw new Error(`${result.id} returned no samples`);

  for (const sample of result.samples) {
    for (const [key, value] of Object.entries(sample.values)) {
      if (!Number.isFinite(value)) {
        throw new Error(`${result.id}: ${sample.variant} round ${sample.round} ${key} = ${value}`);
      }
    }
  }
}

function parseOptions(args: string[]): BenchOptions {
  const text = { type: 'string' } as const;
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      only: text,
      rounds: text,
      'size-mib': text,
      duration: text,
      concurrency: text,
      'study-mib': text,
      'orthanc-rounds': text,
      out: text,
      quick: { type: 'boolean', default: false },
    },
  });
  const chosen = { ...(values.quick ? QUICK : DEFAULTS), ...definedOnly(values) };
  const only = new Set((values.only ?? SECTIONS.map((s) => s.id).join(',')).split(','));
  const unknown = [...only].filter((id) => !SECTIONS.some((s) => s.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `--only: unknown section ${unknown.join(', ')}; known: large, small, tokens, orthanc`,
    );
  }

  return {
    only,
    rounds: positiveInteger('--rounds', chosen.rounds),
    sizeMiB: positiveInteger('--size-mib', chosen['size-mib']),
    durationSeconds: positiveInteger('--duration', chosen.duration),
    concurrency: chosen.concurrency.split(',').map((c) => positiveInteger('--concurrency', c)),
    studyMiB: positiveInteger('--study-mib', chosen['study-mib']),
    orthancRounds: positiveInteger('--orthanc-rounds', chosen['orthanc-rounds']),
    outFile: values.out ?? defaultOutFile(),
  };
}

function definedOnly(values: Record<string, unknown>): Partial<typeof DEFAULTS> {
  return Object.fromEntries(
    Object.entries(values).filter(([key, value]) => key in DEFAULTS && value !== undefined),
  );
}

function positiveInteger(option: string, value: string): number {
  const number = Number(value);
  if (Number.isSafeInteger(number) && number > 0) return number;

  throw new Error(`${option}: expected a whole number above 0, received "${value}"`);
}

function defaultOutFile(): string {
  const stamp = new Date()
    .toISOString()
    .replaceAll(':', '-')
    .replace(/\.\d+Z$/, 'Z');

  return join(REPOSITORY, 'bench', 'results', `${stamp}.json`);
}

// Ctrl-C or a stop from outside: end what this run started, by pid, before going.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`bench: ${signal}: stopping what this run started`);
    void stopAllTracked().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
    return stopAllTracked();
  },
);
