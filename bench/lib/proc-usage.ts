/**
 * What a proxy costs, read from Linux's /proc: CPU seconds (user + system) and the peak
 * resident set, for a group of processes (nginx's master and its workers count as one).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/** Clock ticks per second of the times in /proc, asked once. */
export const CLOCK_TICKS_PER_SECOND = Number(
  execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim(),
);

/**
 * A process's name and the fields of its /proc/<pid>/stat after the name (which may hold
 * spaces): `fields[1]` is the parent's pid, `fields[11]` and `fields[12]` user and system ticks,
 * `fields[13]` and `fields[14]` those of the children it has waited for (proc(5) fields 4, 14-17).
 */
export function readStat(pid: number): { name: string; fields: string[] } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const nameEnd = stat.lastIndexOf(')');

  return {
    name: stat.slice(stat.indexOf('(') + 1, nameEnd),
    fields: stat.slice(nameEnd + 2).split(' '),
  };
}

/** User plus system ticks of one process. */
export function ownTicks(fields: string[]): number {
  return Number(fields[11]) + Number(fields[12]);
}

/** User plus system CPU seconds the processes have used so far. */
export function cpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) ticks += ownTicks(readStat(pid).fields);

  return ticks / CLOCK_TICKS_PER_SECOND;
}

/** The pids whose parent is `parentPid`, such as nginx's workers. */
export function childPids(parentPid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;

    try {
      if (Number(readStat(Number(entry)).fields[1]) === parentPid) children.push(Number(entry));
    } catch {
      // The process ended while the list was read.
    }
  }

  return children;
}

/** Sets each process's peak resident set back to what it holds now (Linux 4.0 and later). */
export function resetPeakRss(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
    } catch (error) {
      throw new Error(`cannot reset the peak RSS of pid ${pid} (needs Linux 4.0+)`, {
        cause: error,
      });
    }
  }
}

/** The sum of the processes' peak resident sets since the last reset, in bytes. */
export function peakRssBytes(pids: readonly number[]): number {
  let kib = 0;
  for (const pid of pids) {
    const line = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (!line) throw new Error(`no VmHWM in /proc/${pid}/status`);

    kib += Number(line[1]);
  }

  return kib * 1024;
}

export interface Usage {
  cpuSeconds: number;
  peakRssBytes: number;
}

/** Meters the processes from now until `stop`: their CPU time and their peak memory. */
export function startUsageMeter(pids: readonly number[]): { stop: () => Usage } {
  resetPeakRss(pids);
  const cpuBefore = cpuSeconds(pids);

  return {
    stop: () => ({ cpuSeconds: cpuSeconds(pids) - cpuBefore, peakRssBytes: peakRssBytes(pids) }),
  };
}
