/**
 * Markdown for the console and for BENCHMARKS.md: one table per section with min / median / max
 * of every figure of every variant and the median per-round ratio to the baseline, then the
 * section's facts and notes.
 */
import type { Environment } from './lib/environment.ts';
import { medianRatio, spread, valuesOf } from './stats.ts';
import type { BenchOptions, FigureSpec, SectionResult } from './types.ts';

export function formatSection(result: SectionResult): string {
  const lines = [`## ${result.title}`, '', ...table(result)];
  const facts = Object.entries(result.facts ?? {});
  if (facts.length > 0) {
    lines.push('', ...facts.map(([key, value]) => `- ${key}: ${formatFact(value)}`));
  }
  if (result.notes && result.notes.length > 0) {
    lines.push('', ...result.notes.map((note) => `- ${note}`));
  }

  return `${lines.join('\n')}\n`;
}

export function formatFailure(id: string, error: unknown): string {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);

  return `## ${id}: FAILED\n\n\`\`\`\n${message}\n\`\`\`\n`;
}

export function formatHeader(environment: Environment, options: BenchOptions): string {
  const { machine, versions, product } = environment;
  const memoryGiB = (machine.totalMemoryBytes / 2 ** 30).toFixed(1);
  const stale = product.build.stale ? ' (STALE: src/ changed after the build)' : '';
  const cpus = `${machine.cpuCount} × ${machine.cpuModel}`;
  const programs = Object.entries(versions).map(([name, version]) => `${name} ${version}`);

  return [
    '# Benchmark run',
    '',
    `- machine: ${cpus}, ${memoryGiB} GiB, Linux ${machine.kernel}`,
    `- versions: ${programs.join('; ')}`,
    `- product: commit ${product.commit.slice(0, 12)}, ${product.changedFiles} changed files, ` +
      `dist/ built ${product.build.builtAt || 'never'}${stale}`,
    `- options: ${JSON.stringify({ ...options, only: [...options.only] })}`,
    '',
  ].join('\n');
}

function table(result: SectionResult): string[] {
  const baseline = result.baseline;
  const variants = [...new Set(result.samples.map((s) => s.variant))];
  const ratioTitle = baseline ? `median ratio to ${baseline}` : 'median ratio';
  const rows = [
    `| figure | variant | min | median | max | ${ratioTitle} |`,
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];

  for (const figure of result.figures) {
    let first = true;
    for (const variant of variants) {
      const values = valuesOf(result.samples, variant, figure.key);
      if (values.length === 0) continue;

      const { min, median, max } = spread(values);
      const cells = [min, median, max].map((value) => formatNumber(value, figure.digits));
      const ratio = ratioCell(result, figure, variant);
      rows.push(`| ${first ? figure.title : ''} | ${variant} | ${cells.join(' | ')} | ${ratio} |`);
      first = false;
    }
  }

  return rows;
}

function ratioCell(result: SectionResult, figure: FigureSpec, variant: string): string {
  const baseline = result.baseline;
  if (!figure.ratio || baseline === undefined) return '';
  if (variant === baseline) return '1';

  return formatNumber(medianRatio(result.samples, variant, baseline, figure.key), 2);
}

/** Fixed digits when given; otherwise about three significant ones. */
export function formatNumber(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (digits !== undefined) return value.toFixed(digits);
  if (Number.isInteger(value)) return String(value);

  const size = Math.abs(value);
  return value.toFixed(size >= 100 ? 0 : size >= 10 ? 1 : size >= 1 ? 2 : 3);
}

function formatFact(value: unknown): string {
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value;

  return JSON.stringify(value);
}
