// Helpers shared by the configuration tests: a temporary directory per test, a valid server
// to start from, and short views of a LoadResult for assertions.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { loadConfig } from '../../../src/config/load.ts';
import type { AppConfig, LoadResult, ServerConfig } from '../../../src/config/types.ts';

export interface TempDir {
  dir: string;
  /** Writes a file in the directory and returns its path. */
  write(name: string, content: string): Promise<string>;
}

/** A fresh directory under the system temp dir, removed when the test ends. */
export async function tempDir(t: TestContext): Promise<TempDir> {
  const dir = await mkdtemp(join(tmpdir(), 'dicomweb-oauth-config-'));
  t.after(() => rm(dir, { recursive: true, force: true }));

  return {
    dir,
    write: async (name, content) => {
      const path = join(dir, name);
      await writeFile(path, content);
      return path;
    },
  };
}

/** A server entry that passes every rule; tests change one key at a time. */
export function validServer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Url: 'https://dicom.example.com/dicomweb/',
    TokenEndpoint: 'https://login.example.com/oauth2/token',
    ClientId: 'orthanc-client',
    ClientSecret: 'client-secret-value',
    ...overrides,
  };
}

/** Writes `{ "DicomWebOAuth": section }` to orthanc.json in a temp dir and loads it. */
export async function loadSection(
  t: TestContext,
  section: unknown,
  env: NodeJS.ProcessEnv = {},
): Promise<LoadResult> {
  const tmp = await tempDir(t);
  const path = await tmp.write('orthanc.json', JSON.stringify({ DicomWebOAuth: section }));
  return loadConfig(path, env);
}

/** Loads a section holding one server `s` built from validServer(overrides). */
export async function loadServer(
  t: TestContext,
  overrides: Record<string, unknown> = {},
  env: NodeJS.ProcessEnv = {},
): Promise<LoadResult> {
  return loadSection(t, { Servers: { s: validServer(overrides) } }, env);
}

export function assertOk(result: LoadResult): AppConfig {
  if (!result.ok) assert.fail(`expected no problem, got:\n${problemLines(result).join('\n')}`);

  return result.config;
}

export function onlyServer(result: LoadResult): ServerConfig {
  const servers = [...assertOk(result).servers.values()];
  assert.equal(servers.length, 1);

  return servers[0] as ServerConfig;
}

/** Each problem as `path: message`, the way the CLI prints them. */
export function problemLines(result: LoadResult): string[] {
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
}

/** Each note as `level path: message`. */
export function noteLines(result: LoadResult): string[] {
  return result.notes.map((n) => `${n.level} ${n.path}: ${n.message}`);
}

/** Asserts the result failed with exactly these problems, in this order. */
export function assertProblems(result: LoadResult, expected: string[]): void {
  assert.equal(result.ok, false, 'expected the configuration to be refused');
  assert.deepEqual(problemLines(result), expected);
}
