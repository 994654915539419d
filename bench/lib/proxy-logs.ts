/**
 * What the proxies complained about during a section: the product's log records at `warn` or
 * above, and the lines of nginx's error log. A proxy that logs warnings under plain load has
 * something to explain, even when every byte arrived. The requests a client cut short are
 * counted apart: wrk closes its connections with requests in flight when its time is up.
 */
import type { Rig } from './rig.ts';

const PRODUCT_PROBLEM_LEVELS = new Set(['warn', 'error', 'fatal']);

export interface LogProblems {
  /** Per proxy: the lines that need explaining. */
  lines: Record<string, string[]>;
  /** Per proxy: requests logged as cut short by the client (status 499, `client_gone`). */
  clientGone: Record<string, number>;
}

export async function proxyLogProblems(rig: Rig): Promise<LogProblems> {
  const problems: LogProblems = { lines: {}, clientGone: {} };
  for (const { name } of rig.variants.filter((v) => v.name !== 'direct')) {
    const lines = (await rig.log(name)).split('\n').filter((line) => line.trim() !== '');
    if (name.startsWith('product')) {
      const flagged = lines.filter(isProductProblem);
      const isClientGone = (line: string) => line.includes('"error":"client_gone"');
      problems.lines[name] = flagged.filter((line) => !isClientGone(line));
      problems.clientGone[name] = flagged.filter(isClientGone).length;
    } else {
      problems.lines[name] = lines.filter((line) => !line.includes('[notice]'));
    }
  }

  return problems;
}

function isProductProblem(line: string): boolean {
  // The info log holds a line per request: skip those without parsing them.
  if (line.startsWith('{') && line.includes('"level":"info"')) return false;

  try {
    const record = JSON.parse(line) as { level?: unknown };
    return PRODUCT_PROBLEM_LEVELS.has(String(record.level));
  } catch {
    // Anything that is not a JSON record (a crash trace) is a problem too.
    return true;
  }
}

/** Facts with the counts per proxy, and a note quoting the first lines when there are any. */
export function logProblemReport(problems: LogProblems): {
  facts: Record<string, unknown>;
  notes: string[];
} {
  const counts = Object.fromEntries(
    Object.entries(problems.lines).map(([name, lines]) => [name, lines.length]),
  );
  const quoted = Object.entries(problems.lines).flatMap(([name, lines]) =>
    lines.slice(0, 2).map((line) => `${name}: ${line.slice(0, 300)}`),
  );

  return {
    facts: {
      'warnings and errors the proxies logged': counts,
      'requests the client cut short, logged by the product as 499 client_gone':
        problems.clientGone,
    },
    notes: quoted.length === 0 ? [] : [`the proxies logged problems: ${quoted.join(' | ')}`],
  };
}
