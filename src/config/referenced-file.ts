import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describeFsError } from './fs-errors.ts';

export type ReferencedFile =
  { ok: true; file: string; text: string } | { ok: false; file: string; reason: string };

/**
 * Reads a file named by the configuration. A relative path is taken from the configuration's
 * own directory, as Orthanc does, so the result does not depend on where the service starts.
 */
export async function readReferencedFile(path: string, baseDir: string): Promise<ReferencedFile> {
  const file = resolve(baseDir, path);
  try {
    return { ok: true, file, text: await readFile(file, 'utf8') };
  } catch (error) {
    return { ok: false, file, reason: describeFsError(error) };
  }
}
