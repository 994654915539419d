/**
 * Small requests: QIDO-sized GETs (about 2 KB of JSON) with wrk at each `--concurrency`, direct
 * and through every proxy, interleaved round by round. Figures per concurrency: requests/s,
 * p50 and p99 latency, p99 added over direct in the same round, and the proxy's CPU time per
 * request.
 */
import { median, medianRatio, valuesOf } from '../stats.ts';
import type { BenchOptions, BenchSection, FigureSpec, Sample, SectionResult } from '../types.ts';
import { NoiseLog } from '../lib/machine-noise.ts';
import { logProblemReport, proxyLogProblems } from '../lib/proxy-logs.ts';
import { startMachineMeter, type MachineUsage } from '../lib/machine-meter.ts';
import { cpuSeconds } from '../lib/proc-usage.ts';
import type { OriginStats } from '../lib/origin.ts';
import { startRig, VARIANTS, type Rig, type Variant } from '../lib/rig.ts';
import { targetNote, tokenNote } from '../lib/targets.ts';
import { runWrk } from '../lib/wrk.ts';

const TOKEN_LIFETIME_SECONDS = 20;
const WARM_UP_CONNECTIONS = 16;
/** The concurrency the targets are set at. */
const TARGET_CONCURRENCY = 16;

const ORDER = [
  VARIANTS.direct,
  VARIANTS.product,
  VARIANTS.productInfoLogs,
  VARIANTS.nginx,
  VARIANTS.minimal,
];

export const smallSection: BenchSection = { id: 'small', run: runSmall };

async function runSmall(options: BenchOptions): Promise<SectionResult> {
  const rig = await startRig(ORDER, TOKEN_LIFETIME_SECONDS);
  const startedAt = performance.now();
  try {
    // The first seconds of a Node process run unoptimised code; no variant is timed cold.
    for (const variant of rig.variants) {
      await runWrk(variant.url('/qido'), WARM_UP_CONNECTIONS, Math.min(options.durationSeconds, 2));
    }

    const samples: Sample[] = [];
    const noise = new NoiseLog();
    for (let round = 1; round <= options.rounds; round++) {
      const values = new Map<Variant, Record<string, number>>();
      for (const connections of options.concurrency) {
        for (const variant of rig.variants) {
          const { figures, machine } = await measure(
            rig,
            variant,
            connections,
            options.durationSeconds,
          );
          noise.add(`${variant.name} round ${round} c=${connections}`, machine);
          values.set(variant, { ...values.get(variant), ...figures });
          progress(round, options.rounds, variant.name, connections, figures);
        }
      }
      for (const [variant, figures] of values) {
        samples.push({ variant: variant.name, round, values: figures });
      }
    }
    addLatencyOverDirect(samples, options.concurrency);

    const seconds = (performance.now() - startedAt) / 1000;
    const origin = await rig.origin.stats();
    const quiet = noise.report();
    const logged = logProblemReport(await proxyLogProblems(rig));
    return {
      id: 'small',
      title:
        `Small requests: ~2 KB GETs with wrk -t1 for ${options.durationSeconds} s at ` +
        `concurrency ${options.concurrency.join(', ')}, ${options.rounds} rounds`,
      baseline: VARIANTS.direct,
      figures: options.concurrency.flatMap(figuresAt),
      samples,
      facts: {
        ...factsOf(origin, samples, options.concurrency, seconds),
        ...quiet.facts,
        ...logged.facts,
      },
      notes: [
        ...quiet.notes,
        ...logged.notes,
        ...notesOf(samples, options.concurrency),
        tokenNote(origin.authorization),
      ],
    };
  } finally {
    await rig.stop();
  }
}

const key = (connections: number, figure: string) => `c${connections}.${figure}`;

function figuresAt(c: number): FigureSpec[] {
  return [
    {
      key: key(c, 'rps'),
      title: `c=${c} requests/s`,
      higherIsBetter: true,
      ratio: true,
      digits: 0,
    },
    { key: key(c, 'p50Ms'), title: `c=${c} p50 ms`, higherIsBetter: false, digits: 2 },
    { key: key(c, 'p99Ms'), title: `c=${c} p99 ms`, higherIsBetter: false, digits: 2 },
    { key: key(c, 'addedP99Ms'), title: `c=${c} added p99 ms`, higherIsBetter: false, digits: 2 },
    {
      key: key(c, 'cpuUs'),
      title: `c=${c} proxy CPU µs/request`,
      higherIsBetter: false,
      digits: 0,
    },
  ];
}

async function measure(
  rig: Rig,
  variant: Variant,
  connections: number,
  durationSeconds: number,
): Promise<{ figures: Record<string, number>; machine: MachineUsage }> {
  const pids = variant.pids();
  const meter = startMachineMeter(rig.pids());
  const cpuBefore = cpuSeconds(pids);
  const result = await runWrk(variant.url('/qido'), connections, durationSeconds);
  const cpu = cpuSeconds(pids) - cpuBefore;
  const machine = meter.stop();

  const figures: Record<string, number> = {
    [key(connections, 'rps')]: result.requestsPerSecond,
    [key(connections, 'p50Ms')]: result.p50Ms,
    [key(connections, 'p99Ms')]: result.p99Ms,
    // Kept in the JSON, not in the table: how much of the CPUs others took meanwhile.
    [key(connections, 'otherCpuShare')]: machine.otherCpuShare,
  };
  if (pids.length > 0) figures[key(connections, 'cpuUs')] = (cpu / result.requests) * 1e6;

  return { figures, machine };
}

/** p99 over direct's in the same round: what the proxy adds while the drift is shared. */
function addLatencyOverDirect(samples: Sample[], concurrency: number[]): void {
  for (const sample of samples) {
    const direct = samples.find((s) => s.variant === VARIANTS.direct && s.round === sample.round);
    if (sample === direct || direct === undefined) continue;

    for (const c of concurrency) {
      const own = sample.values[key(c, 'p99Ms')];
      const base = direct.values[key(c, 'p99Ms')];
      if (own !== undefined && base !== undefined) sample.values[key(c, 'addedP99Ms')] = own - base;
    }
  }
}

function progress(
  round: number,
  rounds: number,
  variant: string,
  connections: number,
  figures: Record<string, number>,
): void {
  const f = (name: string) => figures[key(connections, name)]?.toFixed(name === 'rps' ? 0 : 2);
  console.error(
    `small: round ${round}/${rounds} c=${connections} ${variant}: ${f('rps')} req/s, ` +
      `p50 ${f('p50Ms')} ms, p99 ${f('p99Ms')} ms, CPU ${f('cpuUs') ?? '-'} µs/request`,
  );
}

function factsOf(
  origin: OriginStats,
  samples: Sample[],
  concurrency: number[],
  seconds: number,
): Record<string, unknown> {
  const facts: Record<string, unknown> = {};
  for (const c of concurrency) {
    for (const variant of [VARIANTS.product, VARIANTS.productInfoLogs, VARIANTS.nginx]) {
      facts[`c=${c} ${variant} ÷ minimal node proxy, requests/s`] = medianRatio(
        samples,
        variant,
        VARIANTS.minimal,
        key(c, 'rps'),
      );
    }
  }

  return {
    ...facts,
    'section seconds': seconds,
    'token lifetime seconds': TOKEN_LIFETIME_SECONDS,
    'token endpoint calls (two products, each refreshing at half-life)': origin.tokenCalls,
    'Authorization seen by the origin': origin.authorization,
  };
}

function notesOf(samples: Sample[], concurrency: number[]): string[] {
  if (!concurrency.includes(TARGET_CONCURRENCY)) {
    return [`targets are set at concurrency ${TARGET_CONCURRENCY}, which this run left out`];
  }

  const c = TARGET_CONCURRENCY;
  const added = median(valuesOf(samples, VARIANTS.product, key(c, 'addedP99Ms')));
  return [
    targetNote({
      what: `product requests/s ÷ minimal node proxy at c=${c}`,
      value: medianRatio(samples, VARIANTS.product, VARIANTS.minimal, key(c, 'rps')),
      rule: 'at least',
      bound: 0.9,
    }),
    targetNote({ what: `product added p99 ms at c=${c}`, value: added, rule: 'at most', bound: 3 }),
  ];
}
