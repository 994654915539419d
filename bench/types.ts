/** The shapes every benchmark section shares, so one runner can print and save them all. */

/** Options from the command line; each section reads what concerns it. */
export interface BenchOptions {
  /** Sections to run: `large`, `small`, `tokens`, `orthanc`. */
  only: Set<string>;
  /** Interleaved rounds for the large and small sections (at least 3 for a real run). */
  rounds: number;
  /** Size of each large upload and download. */
  sizeMiB: number;
  /** Seconds per wrk run in the small-request section. */
  durationSeconds: number;
  /** Concurrency levels for small requests. */
  concurrency: number[];
  /** Size of the generated study for the Orthanc section. */
  studyMiB: number;
  /** Interleaved rounds for the Orthanc section (at least 8 for a real run). */
  orthancRounds: number;
  /** Where to write the JSON results. */
  outFile: string;
}

/** One measured figure of one variant in one round. */
export interface Sample {
  variant: string;
  round: number;
  values: Record<string, number>;
}

/** min / median / max of one figure over the rounds of one variant. */
export interface Spread {
  min: number;
  median: number;
  max: number;
}

export interface FigureSpec {
  /** Key in `Sample.values`. */
  key: string;
  /** Column title, with its unit: `MB/s`, `CPU s/GiB`, `p99 ms`. */
  title: string;
  /** True when bigger is better (throughput); false for times, CPU, memory. */
  higherIsBetter: boolean;
  /** Print a ratio to the baseline variant for this figure. */
  ratio?: boolean;
  digits?: number;
}

/** What a section returns: raw samples plus how to present them. */
export interface SectionResult {
  id: string;
  title: string;
  /** The variant the ratios are taken against, usually `direct`. */
  baseline?: string;
  figures: FigureSpec[];
  samples: Sample[];
  /** Free-form facts: counts that must be exact, versions, caveats. */
  facts?: Record<string, unknown>;
  notes?: string[];
}

export interface BenchSection {
  id: string;
  run(options: BenchOptions): Promise<SectionResult>;
}
