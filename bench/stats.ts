/** Small statistics over benchmark samples. */
import type { Sample, Spread } from './types.ts';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;

  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function spread(values: number[]): Spread {
  return { min: Math.min(...values), median: median(values), max: Math.max(...values) };
}

/** The values of one figure for one variant, over all rounds. */
export function valuesOf(samples: Sample[], variant: string, key: string): number[] {
  return samples
    .filter((s) => s.variant === variant && s.values[key] !== undefined)
    .map((s) => s.values[key] as number);
}

/**
 * Median of the per-round ratios variant / baseline: rounds pair up measurements taken close
 * together in time, which cancels most of a shared machine's drift.
 */
export function medianRatio(
  samples: Sample[],
  variant: string,
  baseline: string,
  key: string,
): number {
  const ratios: number[] = [];
  for (const sample of samples.filter((s) => s.variant === variant)) {
    const base = samples.find((s) => s.variant === baseline && s.round === sample.round);
    const a = sample.values[key];
    const b = base?.values[key];
    if (a !== undefined && b !== undefined && b !== 0) ratios.push(a / b);
  }

  return median(ratios);
}
