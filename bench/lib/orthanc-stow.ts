/**
 * One STOW-RS of a whole study by Orthanc's asynchronous job API, timed two ways: by the wall
 * clock here, from the POST that creates the job until a poll sees it succeed, and by the
 * job's own creation and completion times, which Orthanc records on a coarse grid.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningOrthanc } from '../../test/helpers/orthanc.ts';

/** Short against a STOW of seconds, and cheap for Orthanc to answer. */
export const JOB_POLL_MS = 25;

export interface StowTiming {
  /** From just before the POST until a poll saw `Success`; the main figure. */
  wallSeconds: number;
  /** `CompletionTime - CreationTime` from the job's info. */
  jobSeconds: number;
  /** Orthanc's `EffectiveRuntime`: time the job spent running. */
  runtimeSeconds: number;
}

interface JobInfo {
  State: string;
  CreationTime?: string;
  CompletionTime?: string;
  EffectiveRuntime?: number;
  ErrorDescription?: string;
  ErrorDetails?: string;
}

export async function timedStow(
  sender: RunningOrthanc,
  server: string,
  studyId: string,
  timeoutMs: number,
): Promise<StowTiming> {
  const started = performance.now();
  const jobId = await sender.client.startStow(server, [studyId]);

  for (;;) {
    const job = await jobInfo(sender, jobId);
    const elapsedMs = performance.now() - started;
    if (job.State === 'Success') {
      return {
        wallSeconds: elapsedMs / 1000,
        jobSeconds: (orthancTime(job.CompletionTime) - orthancTime(job.CreationTime)) / 1000,
        runtimeSeconds: job.EffectiveRuntime ?? NaN,
      };
    }

    if (job.State === 'Failure') {
      const why = [job.ErrorDescription, job.ErrorDetails].filter(Boolean).join(': ');
      throw new Error(`STOW job ${jobId} to "${server}" failed: ${why}`);
    }

    if (elapsedMs > timeoutMs) {
      throw new Error(`STOW job ${jobId} to "${server}" still ${job.State} after ${timeoutMs} ms`);
    }

    await sleep(JOB_POLL_MS);
  }
}

async function jobInfo(orthanc: RunningOrthanc, jobId: string): Promise<JobInfo> {
  const answer = await fetch(new URL(`jobs/${jobId}`, orthanc.url), {
    signal: AbortSignal.timeout(10_000),
  });
  if (!answer.ok) throw new Error(`GET /jobs/${jobId} answered ${answer.status}`);

  return (await answer.json()) as JobInfo;
}

const ORTHANC_TIME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\.\d+)?$/;

/** Milliseconds of Orthanc's `20240115T101500.123456`; only differences of them mean anything. */
export function orthancTime(text = ''): number {
  const match = ORTHANC_TIME.exec(text);
  if (!match) throw new Error(`not an Orthanc time: "${text}"`);

  const wholeSeconds = Date.parse(text.replace(ORTHANC_TIME, '$1-$2-$3T$4:$5:$6Z'));

  return wholeSeconds + Number(match[7] ?? 0) * 1000;
}
