/**
 * Whether the machine was quiet during a run: on a shared machine, someone else's build or
 * benchmark takes CPU from the client, the proxy and the origin, and moves every figure. The
 * meter compares the CPU time the whole machine spent (/proc/stat) with what the bench's own
 * processes spent; the rest was someone else's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { CLOCK_TICKS_PER_SECOND, cpuSeconds, ownTicks, readStat } from './proc-usage.ts';

export interface MachineUsage {
  /** CPU seconds the machine spent in processes that are not the bench's: someone else's load. */
  otherCpuSeconds: number;
  /** The same, as a share of all the CPU time the machine had meanwhile (0 to 1). */
  otherCpuShare: number;
  /** CPU seconds the hypervisor gave to other guests instead of this machine. */
  stealSeconds: number;
  /** The other processes that used the most CPU meanwhile, busiest first (at most three). */
  busiestOthers: Array<{ pid: number; name: string; cpuSeconds: number }>;
}

/**
 * Meters the machine from now until `stop`. `ownPids` are the bench's long-lived processes
 * (origin, proxies); the runner and every client it has waited for (curl, wrk) count as its own
 * too. Interrupt time is left out of the machine's side: with the kernel's tick-based
 * accounting, the interrupts a process handles are also counted in its own system time, so the
 * estimate of others' use errs low rather than raising false alarms.
 */
export function startMachineMeter(ownPids: readonly number[]): { stop: () => MachineUsage } {
  const before = {
    processes: processTicks(),
    machine: machineTicks(),
    own: cpuSeconds(ownPids) + runnerSeconds(),
    atMs: performance.now(),
  };

  return {
    stop: () => {
      const machine = machineTicks();
      const own = cpuSeconds(ownPids) + runnerSeconds() - before.own;
      const busy = (machine.busy - before.machine.busy) / CLOCK_TICKS_PER_SECOND;
      const available = ((performance.now() - before.atMs) / 1000) * availableParallelism();
      const other = Math.max(0, busy - own);

      return {
        otherCpuSeconds: other,
        otherCpuShare: other / available,
        stealSeconds: (machine.steal - before.machine.steal) / CLOCK_TICKS_PER_SECOND,
        busiestOthers: busiestSince(before.processes, [...ownPids, process.pid]),
      };
    },
  };
}

/** Every process's name and CPU ticks so far. */
function processTicks(): Map<number, { name: string; ticks: number }> {
  const processes = new Map<number, { name: string; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;

    try {
      const { name, fields } = readStat(Number(entry));
      processes.set(Number(entry), { name, ticks: ownTicks(fields) });
    } catch {
      // The process ended while the list was read.
    }
  }

  return processes;
}

/** Processes outside `ownPids` by CPU used since `before` (short-lived ones are not seen). */
function busiestSince(
  before: Map<number, { name: string; ticks: number }>,
  ownPids: number[],
): MachineUsage['busiestOthers'] {
  const own = new Set(ownPids);

  return [...processTicks()]
    .filter(([pid]) => !own.has(pid))
    .map(([pid, { name, ticks }]) => ({
      pid,
      name,
      cpuSeconds: (ticks - (before.get(pid)?.ticks ?? 0)) / CLOCK_TICKS_PER_SECOND,
    }))
    .filter((p) => p.cpuSeconds > 0)
    .sort((a, b) => b.cpuSeconds - a.cpuSeconds)
    .slice(0, 3);
}

/** User, nice and system ticks of all CPUs, and steal, from the first line of /proc/stat. */
function machineTicks(): { busy: number; steal: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [user, nice, system, , , , , steal] = line.trim().split(/\s+/).slice(1).map(Number);

  return { busy: (user ?? 0) + (nice ?? 0) + (system ?? 0), steal: steal ?? 0 };
}

/** This process's CPU plus that of every child it has waited for (and theirs). */
function runnerSeconds(): number {
  const { fields } = readStat(process.pid);
  const children = Number(fields[13]) + Number(fields[14]);

  return (ownTicks(fields) + children) / CLOCK_TICKS_PER_SECOND;
}
