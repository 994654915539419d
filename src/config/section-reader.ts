import { kindOf, quote, received, receivedKind } from './describe.ts';
import { UNRESOLVED } from './env-vars.ts';
import type { ConfigReport } from './report.ts';
import { closestKey } from './suggest.ts';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `path`, or undefined after reporting why it is not one. */
export function requireObject(
  value: unknown,
  path: string,
  report: ConfigReport,
): JsonObject | undefined {
  if (isObject(value)) return value;

  // An unresolved ${VAR} has its own problem already.
  if (value !== UNRESOLVED) report.problem(path, `must be an object (received ${kindOf(value)})`);
  return undefined;
}

// setTimeout fires at once for delays past about 24.8 days; a day is beyond any sane setting.
export const MAX_SECONDS = 86_400;

export interface StringOptions {
  required?: boolean;
  /** Describe a wrong value by its kind only, and remember it for redaction. */
  secret?: boolean;
  /** The message when a required key is absent. */
  missing?: string;
}

export interface OneOfOptions<T extends string> {
  ignoreCase?: boolean;
  /** Other spellings accepted for a value, such as `warning` for `warn`. */
  aliases?: Readonly<Record<string, T>>;
}

/**
 * Reads the keys of one JSON object, recording a problem with its full JSON path for each
 * value that breaks its rule. Every read returns something usable (a default when the value
 * is wrong), so reading goes on and all problems are found in one pass.
 */
export class SectionReader {
  readonly path: string;
  readonly report: ConfigReport;
  private readonly section: JsonObject;

  constructor(section: JsonObject, path: string, report: ConfigReport) {
    this.section = section;
    this.path = path;
    this.report = report;
  }

  pathOf(key: string): string {
    return `${this.path}.${key}`;
  }

  has(key: string): boolean {
    return Object.hasOwn(this.section, key);
  }

  /** The value, or undefined when absent or when its `${VAR}` is missing (reported already). */
  get(key: string): unknown {
    const value = this.has(key) ? this.section[key] : undefined;
    return value === UNRESOLVED ? undefined : value;
  }

  problem(key: string, message: string): void {
    this.report.problem(this.pathOf(key), message);
  }

  warn(key: string, message: string): void {
    this.report.warn(this.pathOf(key), message);
  }

  debug(key: string, message: string): void {
    this.report.debug(this.pathOf(key), message);
  }

  string(key: string, options: StringOptions = {}): string | undefined {
    const value = this.get(key);
    if (value === undefined) {
      if (options.required === true && !this.has(key)) {
        this.problem(key, options.missing ?? 'is required');
      }
      return undefined;
    }

    if (typeof value !== 'string' || value.trim() === '') {
      const shown = options.secret === true ? receivedKind(value) : received(value);
      this.problem(key, `must be a non-empty string (${shown})`);
      return undefined;
    }

    if (options.secret === true) this.report.secrets.add(value);
    return value;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.get(key);
    if (value === undefined) return fallback;

    if (typeof value !== 'boolean') {
      this.problem(key, `must be true or false (${received(value)})`);
      return fallback;
    }

    return value;
  }

  /** A duration in seconds: at least 0 (or above 0 with `positive`) and at most a day. */
  seconds(key: string, fallback: number, rule: { positive: boolean }): number {
    const value = this.get(key);
    if (value === undefined) return fallback;

    const aboveFloor = (n: number): boolean => (rule.positive ? n > 0 : n >= 0);
    if (typeof value === 'number' && aboveFloor(value) && value <= MAX_SECONDS) return value;

    const floor = rule.positive ? 'greater than 0' : 'at least 0';
    const message = `must be a number of seconds ${floor} and at most ${MAX_SECONDS}`;
    this.problem(key, `${message} (${received(value)})`);
    return fallback;
  }

  oneOf<T extends string>(
    key: string,
    allowed: readonly T[],
    fallback: T,
    options: OneOfOptions<T> = {},
  ): T {
    const value = this.get(key);
    if (value === undefined) return fallback;

    const found = typeof value === 'string' ? matchChoice(value, allowed, options) : undefined;
    if (found === undefined) {
      const choices = allowed.map((choice) => quote(choice)).join(', ');
      this.problem(key, `must be one of ${choices} (${received(value)})`);
      return fallback;
    }

    return found;
  }

  /** Warns about each key outside `known`, suggesting the closest known one. */
  reportUnknownKeys(known: readonly string[]): void {
    for (const key of Object.keys(this.section)) {
      if (known.includes(key)) continue;

      const suggestion = closestKey(key, known);
      const hint = suggestion === undefined ? '' : `; did you mean ${quote(suggestion)}?`;
      this.warn(key, `unknown key, ignored${hint}`);
    }
  }
}

function matchChoice<T extends string>(
  value: string,
  allowed: readonly T[],
  options: OneOfOptions<T>,
): T | undefined {
  const text = options.ignoreCase === true ? value.toLowerCase() : value;
  const alias = options.aliases !== undefined && Object.hasOwn(options.aliases, text);

  return alias ? options.aliases?.[text] : allowed.find((choice) => choice === text);
}
