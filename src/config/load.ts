import { expandEnvVars } from './env-vars.ts';
import { readConfigSource } from './files.ts';
import { redactSecrets, SECRET_KEYS } from './redact.ts';
import { ConfigReport } from './report.ts';
import { SECTION, validateSection } from './schema.ts';
import type { AppConfig, LoadResult } from './types.ts';

/**
 * Loads the `DicomWebOAuth` section from an Orthanc configuration file or directory,
 * replacing `${VAR}` from `env`. Reports every problem at once; no problem or note ever
 * quotes a secret.
 */
export async function loadConfig(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LoadResult> {
  const report = new ConfigReport();
  const config = await readConfig(path, env, report);
  const problems = redactSecrets(report.problems, report.secrets);
  const notes = redactSecrets(report.notes, report.secrets);
  if (config === undefined || problems.length > 0) return { ok: false, problems, notes };

  return { ok: true, config, notes };
}

async function readConfig(
  path: string,
  env: NodeJS.ProcessEnv,
  report: ConfigReport,
): Promise<AppConfig | undefined> {
  const source = await readConfigSource(path, report);
  if (source === undefined) return undefined;

  if (!Object.hasOwn(source.root, SECTION)) {
    report.problem(SECTION, `section missing from ${path}`);
    return undefined;
  }

  const expansion = { env, report, secretKeys: SECRET_KEYS };
  const section = expandEnvVars(source.root[SECTION], SECTION, expansion);
  return validateSection(section, { report, baseDir: source.baseDir });
}
