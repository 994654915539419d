/**
 * Section `orthanc` (issue 3, part 6): a real Orthanc sends a generated study with STOW-RS to a
 * second real Orthanc, directly and through the product with a token gate in front, in
 * interleaved rounds. Orthanc listens on every interface, so this runs only inside the
 * loopback-only network namespace (`scripts/in-netns.sh`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateStudy, type GeneratedStudy } from '../../test/helpers/dicom-study.ts';
import { assertLoopbackOnly } from '../../test/helpers/loopback-only.ts';
import { mapLimit } from '../../test/helpers/map-limit.ts';
import type { RunningOrthanc } from '../../test/helpers/orthanc.ts';
import { assertToolsInstalled } from '../../test/helpers/required-tools.ts';
import { Teardown } from '../../test/helpers/teardown.ts';
import { trackTeardown } from '../lib/children.ts';
import {
  ORTHANC_VARIANTS,
  startOrthancRig,
  TOKEN_TTL_SECONDS,
  type OrthancRig,
  type OrthancVariant,
} from '../lib/orthanc-rig.ts';
import { JOB_POLL_MS, timedStow } from '../lib/orthanc-stow.ts';
import { cpuSeconds, peakRssBytes } from '../lib/proc-usage.ts';
import { compiledEntryPoint } from '../lib/token-product.ts';
import type { BenchOptions, BenchSection, FigureSpec, Sample, SectionResult } from '../types.ts';

const MIB = 2 ** 20;
const GIB = 2 ** 30;
/** Generous: Orthanc's own STOW runs at 120-150 MB/s here. */
const STOW_TIMEOUT_MS = 600_000;
const UPLOAD_PARALLELISM = 4;

const FIGURES: FigureSpec[] = [
  { key: 'MBps', title: 'MB/s', higherIsBetter: true, ratio: true, digits: 1 },
  { key: 'seconds', title: 's', higherIsBetter: false, digits: 2 },
  { key: 'jobMBps', title: 'job MB/s', higherIsBetter: true, ratio: true, digits: 1 },
  { key: 'jobSeconds', title: 'job s', higherIsBetter: false, digits: 2 },
  { key: 'productCpuPerGiB', title: 'product CPU s/GiB', higherIsBetter: false, digits: 2 },
];

const NOTES = [
  'direct: Orthanc A → Orthanc B with a fixed token. proxied: A → product → B with the ' +
    "product's tokens. B checks the token of every DICOMweb request on both paths (a Lua " +
    'filter asking a JWT verifier), so the two differ only by the product on the way.',
  'MB/s and s: wall clock from the POST that creates the STOW job until a poll ' +
    `(every ${JOB_POLL_MS} ms) sees it succeed; the main figures. job MB/s and job s: from ` +
    "the job's CreationTime and CompletionTime, which Orthanc records on a coarse grid.",
  'Each round sends the whole study to an empty B, checks that every instance arrived, then ' +
    'deletes it from B. The order of the variants rotates from round to round; one unrecorded ' +
    'round of each comes first.',
  "Orthanc's DICOMweb plugin looks at its STOW worker every 0.5 s, so a STOW ends on a 0.5 s " +
    'grid counted from its start, by the wall clock and the job times alike: at about 6 s per ' +
    'GiB that is an 8% step. Ratios near 0.95 need a study of several GiB to resolve.',
];

export const orthancSection: BenchSection = {
  id: 'orthanc',
  async run(options: BenchOptions): Promise<SectionResult> {
    assertToolsInstalled();
    assertLoopbackOnly();
    const entryPoint = compiledEntryPoint();
    const teardown = new Teardown();
    const forget = trackTeardown(teardown);
    try {
      return await measure(options, entryPoint, teardown);
    } finally {
      forget();
      await teardown.run();
    }
  },
};

async function measure(
  options: BenchOptions,
  entryPoint: string,
  teardown: Teardown,
): Promise<SectionResult> {
  const loadAtStart = loadavg();
  const work = await mkdtemp(join(tmpdir(), 'bench-orthanc-'));
  teardown.add('study files', () => rm(work, { recursive: true, force: true }));

  let started = performance.now();
  const study = await generateStudy({ directory: work, minTotalBytes: options.studyMiB * MIB });
  const generateSeconds = elapsedSeconds(started);

  const rig = await startOrthancRig(teardown, entryPoint, work);
  await assertReceiverChecksTokens(rig);
  started = performance.now();
  const studyId = await upload(rig.sender, study);
  const uploadSeconds = elapsedSeconds(started);
  // Orthanc A holds the study now; the generated files only take disk space.
  await Promise.all(study.instances.map((instance) => rm(instance.path, { force: true })));

  const productCpuAtStart = cpuSeconds([rig.product.pid]);
  // Unrecorded: the first STOWs after start run slower (caches, JIT, first connections).
  for (const variant of ORTHANC_VARIANTS) {
    await stowRound(rig, study, studyId, variant, 0);
  }

  const samples: Sample[] = [];
  for (let round = 1; round <= options.orthancRounds; round++) {
    for (const variant of rotated(ORTHANC_VARIANTS, round - 1)) {
      samples.push(await stowRound(rig, study, studyId, variant, round));
    }
  }

  return {
    id: 'orthanc',
    title: `Orthanc STOW-RS of a ${(study.totalBytes / MIB).toFixed(0)} MiB study, A → B`,
    baseline: 'direct',
    figures: FIGURES,
    samples,
    facts: {
      studyBytes: study.totalBytes,
      instances: study.instances.length,
      series: study.seriesInstanceUids.length,
      rounds: options.orthancRounds,
      stowsVerified: samples.length + ORTHANC_VARIANTS.length,
      tokenChecksPassed: rig.check.stats.accepted,
      // One refusal is the bench's own probe with a forged token, made before the rounds.
      tokenCheckRejections: rig.check.stats.rejected - 1,
      tokenCheckRejectionReasons: rig.check.stats.reasons,
      productTokensSeenByReceiver: rig.check.stats.tokens.size,
      tokenRequests: rig.oauth.stats.tokenRequests,
      tokenTtlSeconds: TOKEN_TTL_SECONDS,
      productCpuSeconds: round2(cpuSeconds([rig.product.pid]) - productCpuAtStart),
      productPeakRssMiB: round2(peakRssBytes([rig.product.pid]) / MIB),
      orthancVersion: (await rig.sender.client.system())['Version'],
      dicomWebPluginVersion: await pluginVersion(rig.sender),
      generateSeconds: round2(generateSeconds),
      uploadToSenderSeconds: round2(uploadSeconds),
      loadAverage: { atStart: loadAtStart.map(round2), atEnd: loadavg().map(round2) },
    },
    notes: NOTES,
  };
}

async function stowRound(
  rig: OrthancRig,
  study: GeneratedStudy,
  studyId: string,
  variant: OrthancVariant,
  round: number,
): Promise<Sample> {
  const cpuBefore = cpuSeconds([rig.product.pid]);
  const timing = await timedStow(rig.sender, variant, studyId, STOW_TIMEOUT_MS);
  const productCpu = cpuSeconds([rig.product.pid]) - cpuBefore;
  await expectEveryInstance(rig.receiver, study, `${variant}, round ${round}`);
  await emptyReceiver(rig.receiver, study);

  const megabytes = study.totalBytes / 1e6;
  const values: Record<string, number> = {
    seconds: timing.wallSeconds,
    MBps: megabytes / timing.wallSeconds,
    jobSeconds: timing.jobSeconds,
    jobMBps: megabytes / timing.jobSeconds,
    runtimeSeconds: timing.runtimeSeconds,
  };
  // Direct rounds do not go through the product; what it spent then is idle noise.
  if (variant !== 'direct') values['productCpuPerGiB'] = productCpu / (study.totalBytes / GIB);

  return { variant, round, values };
}

/** Stores every file of the study in Orthanc; returns Orthanc's id of the study. */
async function upload(orthanc: RunningOrthanc, study: GeneratedStudy): Promise<string> {
  const answers = await mapLimit(study.instances, UPLOAD_PARALLELISM, (instance) =>
    orthanc.client.uploadFile(instance.path),
  );
  const studyIds = new Set(answers.map((answer) => answer.ParentStudy));
  const [studyId] = studyIds;
  if (studyIds.size !== 1 || studyId === undefined) {
    throw new Error(`the study became ${studyIds.size} studies in Orthanc A`);
  }

  return studyId;
}

async function expectEveryInstance(
  receiver: RunningOrthanc,
  study: GeneratedStudy,
  what: string,
): Promise<void> {
  const stored = new Set((await receiver.client.listInstances()).map((i) => i.sopInstanceUid));
  const missing = study.instances.filter((i) => !stored.has(i.sopInstanceUid));
  if (missing.length > 0 || stored.size !== study.instances.length) {
    throw new Error(
      `${what}: Orthanc B holds ${stored.size} instances, ` +
        `${missing.length} of the study's ${study.instances.length} missing`,
    );
  }
}

/** Deletes the study from B, so that the next round stores all of it again. */
async function emptyReceiver(receiver: RunningOrthanc, study: GeneratedStudy): Promise<void> {
  const id = await receiver.client.findStudy(study.studyInstanceUid);
  if (id !== undefined) await receiver.client.deleteStudy(id);

  const left = (await receiver.client.listInstances()).length;
  if (left > 0) throw new Error(`Orthanc B still holds ${left} instances after the delete`);
}

async function pluginVersion(orthanc: RunningOrthanc): Promise<unknown> {
  const answer = await fetch(new URL('plugins/dicom-web', orthanc.url));
  const plugin = (await answer.json()) as { Version?: unknown };

  return plugin.Version;
}

/** The list started `by` places further on, so each variant takes its turn at going first. */
function rotated<T>(items: readonly T[], by: number): T[] {
  const start = by % items.length;

  return [...items.slice(start), ...items.slice(0, start)];
}

function elapsedSeconds(since: number): number {
  return (performance.now() - since) / 1000;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The comparison means something only if B really refuses a request without a valid token. */
async function assertReceiverChecksTokens(rig: OrthancRig): Promise<void> {
  const forged = `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.e30.`;
  const answer = await fetch(`${rig.receiver.url}dicom-web/studies`, {
    headers: { authorization: forged },
  });
  await answer.arrayBuffer();
  if (answer.ok || rig.check.stats.rejected !== 1) {
    throw new Error(`Orthanc B let a forged token through (HTTP ${answer.status})`);
  }
}
