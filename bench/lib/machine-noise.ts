/**
 * Whether a section ran on a quiet machine. Each run's machine meter says how much of the CPUs
 * processes outside the bench took meanwhile; this turns that into a fact under the table, and
 * a warning that names the runs where someone else's load was large enough to move the figures,
 * and the processes that took the most.
 */
import { median } from '../stats.ts';
import type { MachineUsage } from './machine-meter.ts';

/** Above this share of the CPUs taken by others, a run's figures are suspect… */
const QUIET_SHARE = 0.05;
/** …once it is more than a few clock ticks: a run of milliseconds cannot be judged. */
const QUIET_SECONDS = 0.1;

export class NoiseLog {
  readonly #runs: Array<{ where: string; usage: MachineUsage }> = [];

  /** `where` names the run: `product round 2 upload`. */
  add(where: string, usage: MachineUsage): void {
    this.#runs.push({ where, usage });
  }

  report(): { facts: Record<string, unknown>; notes: string[] } {
    const shares = this.#runs.map((run) => run.usage.otherCpuShare);
    const steal = this.#runs.reduce((sum, run) => sum + run.usage.stealSeconds, 0);
    const spread = `${percent(median(shares))}, ${percent(Math.max(...shares))}`;
    const facts = {
      'CPU share taken by other processes during a run (median, max)': spread,
      'CPU seconds stolen by the hypervisor (all runs)': steal,
    };

    const loud = this.#runs.filter(
      ({ usage }) => usage.otherCpuShare > QUIET_SHARE && usage.otherCpuSeconds > QUIET_SECONDS,
    );
    if (loud.length === 0) return { facts, notes: [] };

    const loudest = [...loud]
      .sort((a, b) => b.usage.otherCpuShare - a.usage.otherCpuShare)
      .slice(0, 4)
      .map((run) => `${run.where} ${percent(run.usage.otherCpuShare)}`);
    const more = loud.length > loudest.length ? `; ${loud.length - loudest.length} more` : '';
    const note =
      `WARNING: the machine was not quiet: other processes took more than ` +
      `${percent(QUIET_SHARE)} of the CPUs during ${loud.length} of ${this.#runs.length} runs ` +
      `(${loudest.join('; ')}${more}); ` +
      `busiest: ${busiest(loud).join(', ') || 'short-lived processes'}. ` +
      'Those runs are suspect.';

    return { facts, notes: [note] };
  }
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** The other processes that took the most CPU over the given runs, by name. */
function busiest(runs: Array<{ usage: MachineUsage }>): string[] {
  const byName = new Map<string, number>();
  for (const { name, cpuSeconds } of runs.flatMap((run) => run.usage.busiestOthers)) {
    byName.set(name, (byName.get(name) ?? 0) + cpuSeconds);
  }

  return [...byName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([name, seconds]) => `${name} ${seconds.toFixed(2)} s`);
}
