/**
 * The product's targets from the bench issue, written as notes under a section's table so a run
 * says at once which ones it met. A missed target is a finding, not a failure of the run.
 */
import { formatNumber } from '../report.ts';
import type { OriginStats } from './origin.ts';

export interface Target {
  /** What is compared, such as `product upload MB/s ÷ direct`. */
  what: string;
  value: number;
  /** `at least` for throughput ratios, `at most` for CPU, memory and latency. */
  rule: 'at least' | 'at most';
  bound: number;
}

export function targetNote({ what, value, rule, bound }: Target): string {
  const met = rule === 'at least' ? value >= bound : value <= bound;
  const verdict = Number.isNaN(value) ? 'not measured' : met ? 'met' : 'MISSED';

  return `target: ${what} = ${formatNumber(value)}, ${rule} ${bound}: ${verdict}`;
}

/** The origin knows every token it issued: a request with an expired or unknown one is a bug. */
export function tokenNote(authorization: OriginStats['authorization']): string {
  const bad = authorization.expired + authorization.unknown;
  const what = 'requests that reached the origin with an expired or unknown token';

  return `target: ${what} = ${bad}, at most 0: ${bad === 0 ? 'met' : 'MISSED'}`;
}
