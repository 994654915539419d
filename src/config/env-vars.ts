import type { ConfigReport } from './report.ts';

/**
 * Stands in for a string whose `${VAR}` could not be resolved. The missing variable is
 * already reported, so the rules skip this value instead of adding a second problem.
 */
export const UNRESOLVED: unique symbol = Symbol('unresolved environment variable');

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export interface Expansion {
  env: NodeJS.ProcessEnv;
  report: ConfigReport;
  /**
   * Keys whose values are secrets. A variable substituted inside one is remembered for
   * redaction on its own, in case the same variable is used somewhere that gets quoted.
   */
  secretKeys: ReadonlySet<string>;
}

/**
 * Replaces every `${VAR}` inside the string values of an already parsed tree. Working on
 * parsed values, not on the file's text, means a variable can never inject JSON structure.
 */
export function expandEnvVars(value: unknown, path: string, expansion: Expansion): unknown {
  return expandValue(value, path, false, expansion);
}

function expandValue(value: unknown, path: string, secret: boolean, x: Expansion): unknown {
  if (typeof value === 'string') return expandString(value, path, secret, x);
  if (Array.isArray(value)) {
    return value.map((item, index) => expandValue(item, `${path}[${index}]`, secret, x));
  }

  if (typeof value !== 'object' || value === null) return value;

  // fromEntries defines own properties, so a key named __proto__ stays a plain key.
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      const inSecret = secret || x.secretKeys.has(key);
      return [key, expandValue(item, `${path}.${key}`, inSecret, x)];
    }),
  );
}

function expandString(
  text: string,
  path: string,
  secret: boolean,
  x: Expansion,
): string | typeof UNRESOLVED {
  let missing = false;
  const expanded = text.replace(REFERENCE, (reference, name: string) => {
    const found = x.env[name];
    if (found !== undefined) {
      if (secret) x.report.secrets.add(found);
      return found;
    }

    missing = true;
    x.report.problem(path, `environment variable ${name} is not set`);
    return reference;
  });

  return missing ? UNRESOLVED : expanded;
}
