import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { kindOf } from './describe.ts';
import { describeFsError } from './fs-errors.ts';
import { parseJsonc } from './jsonc.ts';
import type { ConfigReport } from './report.ts';

type JsonObject = Record<string, unknown>;

export interface ConfigSource {
  /** The top-level keys of every file read, merged. */
  root: JsonObject;
  /** Relative file paths inside the configuration are resolved against this directory. */
  baseDir: string;
}

/**
 * Reads the configuration the way Orthanc does: one file, or every `*.json` file of a
 * directory (not its subdirectories) in name order, merged at the top level. Problems go
 * to the report; the result is undefined when any was found.
 */
export async function readConfigSource(
  path: string,
  report: ConfigReport,
): Promise<ConfigSource | undefined> {
  const target = resolve(path);
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(target)).isDirectory();
  } catch (error) {
    report.problem(path, `cannot read the configuration: ${describeFsError(error)}`);
    return undefined;
  }

  const root = isDirectory
    ? await readDirectory(target, report)
    : await readJsonFile(target, report);
  if (root === undefined) return undefined;

  return { root, baseDir: isDirectory ? target : dirname(target) };
}

async function readDirectory(dir: string, report: ConfigReport): Promise<JsonObject | undefined> {
  const files = await listJsonFiles(dir, report);
  if (files === undefined) return undefined;

  if (files.length === 0) {
    report.problem(dir, 'no .json file in this configuration directory');
    return undefined;
  }

  const before = report.problems.length;
  const root: JsonObject = {};
  const origins = new Map<string, string>();
  for (const file of files) {
    const part = await readJsonFile(file, report);
    if (part !== undefined) mergeTopLevel(root, part, { file, origins, report });
  }

  return report.problems.length === before ? root : undefined;
}

async function listJsonFiles(dir: string, report: ConfigReport): Promise<string[] | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    report.problem(dir, `cannot list the configuration directory: ${describeFsError(error)}`);
    return undefined;
  }

  // Plain code-unit order, not locale order, so every machine reads files in the same order.
  const candidates = names.filter((name) => name.endsWith('.json')).sort();
  const files: string[] = [];
  for (const name of candidates) {
    const file = join(dir, name);
    // stat follows symlinks, which is how Kubernetes mounts a ConfigMap's files.
    const isFile = await stat(file).then(
      (info) => info.isFile(),
      () => false,
    );
    if (isFile) files.push(file);
  }

  return files;
}

interface MergeContext {
  file: string;
  /** Which file defined each top-level key so far. */
  origins: Map<string, string>;
  report: ConfigReport;
}

/** Orthanc refuses a section defined in two files of a directory, and so do we. */
function mergeTopLevel(root: JsonObject, part: JsonObject, context: MergeContext): void {
  const { file, origins, report } = context;
  for (const [key, value] of Object.entries(part)) {
    const earlier = origins.get(key);
    if (earlier !== undefined) {
      report.problem(key, `defined in two configuration files: ${earlier} and ${file}`);
      continue;
    }

    origins.set(key, file);
    Object.defineProperty(root, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
}

async function readJsonFile(file: string, report: ConfigReport): Promise<JsonObject | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    report.problem(file, `cannot read the configuration: ${describeFsError(error)}`);
    return undefined;
  }

  const parsed = parseJsonc(text);
  if (!parsed.ok) {
    report.problem(`${file}:${parsed.line}:${parsed.column}`, `invalid JSON: ${parsed.reason}`);
    return undefined;
  }

  for (const duplicate of parsed.duplicates) {
    const at = `${file}:${duplicate.line}:${duplicate.column}`;
    report.warn(duplicate.keys.join('.'), `defined again at ${at}; the last value is used`);
  }

  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    report.problem(file, `the top level must be a JSON object (received ${kindOf(value)})`);
    return undefined;
  }

  return value as JsonObject;
}
