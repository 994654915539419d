import type { ConfigNote, ConfigProblem } from './types.ts';

/**
 * Collects everything the loader finds, so that one run reports every problem at once
 * instead of stopping at the first.
 */
export class ConfigReport {
  readonly problems: ConfigProblem[] = [];
  readonly notes: ConfigNote[] = [];

  /** Secret values met while reading; scrubbed from every message before they leave. */
  readonly secrets = new Set<string>();

  problem(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  warn(path: string, message: string): void {
    this.notes.push({ level: 'warn', path, message });
  }

  debug(path: string, message: string): void {
    this.notes.push({ level: 'debug', path, message });
  }
}
