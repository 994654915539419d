/**
 * Large bodies: a chunked `multipart/related` upload and a download of `--size-mib` each, direct
 * and through every proxy, interleaved round by round. Figures: MB/s, the proxy's CPU seconds
 * per GiB, and its peak resident memory during the transfer.
 */
import { medianRatio, valuesOf, median } from '../stats.ts';
import type { BenchOptions, BenchSection, FigureSpec, Sample, SectionResult } from '../types.ts';
import { download, upload, type Transfer } from '../lib/curl.ts';
import { NoiseLog } from '../lib/machine-noise.ts';
import { logProblemReport, proxyLogProblems } from '../lib/proxy-logs.ts';
import { startMachineMeter, type MachineUsage } from '../lib/machine-meter.ts';
import { startUsageMeter, type Usage } from '../lib/proc-usage.ts';
import type { OriginStats } from '../lib/origin.ts';
import { startRig, VARIANTS, type Rig, type Variant } from '../lib/rig.ts';
import { targetNote, tokenNote } from '../lib/targets.ts';

const MIB = 2 ** 20;
const GIB = 2 ** 30;
/** Short enough that the product refreshes its token during the section. */
const TOKEN_LIFETIME_SECONDS = 20;
/** Moved once each way through every variant before round 1, so no Node proxy runs cold. */
const WARM_UP_BYTES = 64 * MIB;

const ORDER = [
  VARIANTS.direct,
  VARIANTS.product,
  VARIANTS.nginx,
  VARIANTS.nginx64k,
  VARIANTS.minimal,
];

const FIGURES: FigureSpec[] = [
  { key: 'uploadMBps', title: 'upload MB/s', higherIsBetter: true, ratio: true, digits: 0 },
  { key: 'downloadMBps', title: 'download MB/s', higherIsBetter: true, ratio: true, digits: 0 },
  { key: 'uploadCpuPerGiB', title: 'upload CPU s/GiB', higherIsBetter: false, digits: 2 },
  { key: 'downloadCpuPerGiB', title: 'download CPU s/GiB', higherIsBetter: false, digits: 2 },
  { key: 'uploadPeakRssMB', title: 'upload peak RSS MB', higherIsBetter: false, digits: 0 },
  { key: 'downloadPeakRssMB', title: 'download peak RSS MB', higherIsBetter: false, digits: 0 },
];

export const largeSection: BenchSection = { id: 'large', run: runLarge };

async function runLarge(options: BenchOptions): Promise<SectionResult> {
  const bytes = options.sizeMiB * MIB;
  const rig = await startRig(ORDER, TOKEN_LIFETIME_SECONDS);
  const startedAt = performance.now();
  const uploadTo = (variant: Variant, size: number) => () => upload(variant.url('/upload'), size);
  const downloadFrom = (variant: Variant, size: number) => () =>
    download(variant.url(`/download?bytes=${size}`), size);
  try {
    for (const variant of rig.variants) {
      await uploadTo(variant, Math.min(bytes, WARM_UP_BYTES))();
      await downloadFrom(variant, Math.min(bytes, WARM_UP_BYTES))();
    }

    const samples: Sample[] = [];
    const noise = new NoiseLog();
    for (let round = 1; round <= options.rounds; round++) {
      for (const variant of rig.variants) {
        const up = await measured(rig, variant, uploadTo(variant, bytes));
        const down = await measured(rig, variant, downloadFrom(variant, bytes));
        noise.add(`${variant.name} round ${round} upload`, up.machine);
        noise.add(`${variant.name} round ${round} download`, down.machine);
        const values = { ...figuresOf('upload', up), ...figuresOf('download', down) };
        samples.push({ variant: variant.name, round, values });
        progress(round, options.rounds, variant.name, values);
      }
    }

    const seconds = (performance.now() - startedAt) / 1000;
    const origin = await rig.origin.stats();
    const quiet = noise.report();
    const logged = logProblemReport(await proxyLogProblems(rig));
    return {
      id: 'large',
      title: `Large bodies: ${options.sizeMiB} MiB upload and download, ${options.rounds} rounds`,
      baseline: VARIANTS.direct,
      figures: FIGURES,
      samples,
      facts: { ...factsOf(origin, samples, bytes, seconds), ...quiet.facts, ...logged.facts },
      notes: [
        ...quiet.notes,
        ...logged.notes,
        ...notesOf(samples),
        tokenNote(origin.authorization),
      ],
    };
  } finally {
    await rig.stop();
  }
}

interface Measured {
  transfer: Transfer;
  machine: MachineUsage;
  /** The proxy's; none for `direct`. */
  usage?: Usage;
}

/** Runs one transfer, metering the proxy's processes and the whole machine around it. */
async function measured(
  rig: Rig,
  variant: Variant,
  transfer: () => Promise<Transfer>,
): Promise<Measured> {
  const pids = variant.pids();
  const machine = startMachineMeter(rig.pids());
  const usage = pids.length > 0 ? startUsageMeter(pids) : undefined;
  const result = await transfer();

  return { transfer: result, usage: usage?.stop(), machine: machine.stop() };
}

function figuresOf(direction: 'upload' | 'download', m: Measured): Record<string, number> {
  const values: Record<string, number> = {
    [`${direction}MBps`]: m.transfer.bytes / m.transfer.seconds / 1e6,
    // Kept in the JSON, not in the table: how much of the CPUs others took meanwhile.
    [`${direction}OtherCpuShare`]: m.machine.otherCpuShare,
  };
  if (m.usage) {
    values[`${direction}CpuPerGiB`] = (m.usage.cpuSeconds * GIB) / m.transfer.bytes;
    values[`${direction}PeakRssMB`] = m.usage.peakRssBytes / 1e6;
  }

  return values;
}

function progress(round: number, rounds: number, variant: string, values: Record<string, number>) {
  const shown = FIGURES.filter((f) => values[f.key] !== undefined)
    .map((f) => `${f.title} ${values[f.key]?.toFixed(f.digits)}`)
    .join(', ');
  console.error(`large: round ${round}/${rounds} ${variant}: ${shown}`);
}

function factsOf(
  origin: OriginStats,
  samples: Sample[],
  bytes: number,
  seconds: number,
): Record<string, unknown> {
  const ratio = (to: string, key: string) => medianRatio(samples, VARIANTS.product, to, key);

  return {
    'bytes per transfer (checked at both ends)': bytes,
    'product ÷ minimal node proxy, upload MB/s': ratio(VARIANTS.minimal, 'uploadMBps'),
    'product ÷ minimal node proxy, download MB/s': ratio(VARIANTS.minimal, 'downloadMBps'),
    'product ÷ nginx (64k buffers), upload MB/s': ratio(VARIANTS.nginx64k, 'uploadMBps'),
    'product ÷ nginx (64k buffers), download MB/s': ratio(VARIANTS.nginx64k, 'downloadMBps'),
    'section seconds': seconds,
    'token lifetime seconds': TOKEN_LIFETIME_SECONDS,
    'token endpoint calls (the product refreshes at half-life)': origin.tokenCalls,
    'Authorization seen by the origin': origin.authorization,
  };
}

function notesOf(samples: Sample[]): string[] {
  const { product, direct, minimal } = VARIANTS;
  const ratio = (to: string, key: string) => medianRatio(samples, product, to, key);
  const worst = (keys: string[]) =>
    Math.max(...keys.map((key) => median(valuesOf(samples, product, key))));

  const notes = [
    { what: 'product upload ÷ direct', value: ratio(direct, 'uploadMBps'), bound: 0.55 },
    { what: 'product download ÷ direct', value: ratio(direct, 'downloadMBps'), bound: 0.5 },
    { what: 'product upload ÷ minimal', value: ratio(minimal, 'uploadMBps'), bound: 0.9 },
    { what: 'product download ÷ minimal', value: ratio(minimal, 'downloadMBps'), bound: 0.9 },
  ].map((t) => targetNote({ ...t, rule: 'at least' }));
  notes.push(
    targetNote({
      what: 'product CPU s/GiB (worse direction, median)',
      value: worst(['uploadCpuPerGiB', 'downloadCpuPerGiB']),
      rule: 'at most',
      bound: 1.2,
    }),
    targetNote({
      what: 'product peak RSS MB (worse direction, median)',
      value: worst(['uploadPeakRssMB', 'downloadPeakRssMB']),
      rule: 'at most',
      bound: 120,
    }),
  );

  return notes;
}
