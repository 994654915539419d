/**
 * The study's round trip: made with dcmtk, stored in the local Orthanc, sent to the protected
 * server with STOW-RS, found with QIDO-RS, deleted locally and brought back with WADO-RS, every
 * DICOMweb call going through dicomweb-oauth.
 */
import { createHash } from 'node:crypto';
import { generateStudy, type GeneratedStudy } from '../../test/helpers/dicom-study.ts';
import { mapLimit } from '../../test/helpers/map-limit.ts';
import type { RunningOrthanc } from '../../test/helpers/orthanc.ts';
import { SERVER, type DemoComponents } from './components.ts';
import { count, mib, seconds, step, timed } from './output.ts';

/** A few MB: 12 images of 512 × 512 16-bit pixels, in 3 series. */
const STUDY = { minTotalBytes: 6 * 2 ** 20, rows: 512, columns: 512, seriesCount: 3 };
const JOB_TIMEOUT_MS = 60_000;

export async function runRoundTrip(parts: DemoComponents, workDirectory: string): Promise<void> {
  const { local, cloud } = parts;
  const study = await generateStudy({ directory: workDirectory, ...STUDY });
  const seriesCount = study.seriesInstanceUids.length;
  step(
    `Made a study with dcmtk: ${count(study.instances.length, 'image')} in ` +
      `${count(seriesCount, 'series', 'series')}, ${mib(study.totalBytes)}.`,
  );

  const localStudyId = await upload(local, study);
  step(`Stored it in the local Orthanc: ${count(await instanceCount(local), 'instance')}.`);

  const stow = await timed(() => runJob(local, local.client.startStow(SERVER, [localStudyId])));
  step(
    `STOW-RS: the local Orthanc sent the study to "${SERVER}" through dicomweb-oauth ` +
      `in ${seconds(stow.ms)}.`,
    `The cloud Orthanc now holds ${count(await instanceCount(cloud), 'instance')}.`,
  );

  await query(local, study);
  await local.client.deleteStudy(localStudyId);
  step(
    `Deleted the study from the local Orthanc: ${count(await instanceCount(local), 'instance')} left.`,
  );

  const wado = await timed(() =>
    runJob(local, local.client.startRetrieve(SERVER, [{ Study: study.studyInstanceUid }])),
  );
  const identical = await compareWithSent(local, study);
  step(
    `WADO-RS: the local Orthanc retrieved the study from "${SERVER}" through dicomweb-oauth ` +
      `in ${seconds(wado.ms)}.`,
    `${count(identical, 'instance')} back, each byte for byte the file that was sent.`,
  );
}

/** QIDO-RS at the three levels, relayed by the local Orthanc's DICOMweb plugin. */
async function query(local: RunningOrthanc, study: GeneratedStudy): Promise<void> {
  const uid = study.studyInstanceUid;
  const studies = await qido(local, '/studies', { StudyInstanceUID: uid });
  const series = await qido(local, `/studies/${uid}/series`);
  const instances = await qido(local, `/studies/${uid}/instances`);
  step(
    `QIDO-RS: asked "${SERVER}" through dicomweb-oauth for StudyInstanceUID ${shortUid(uid)}:`,
    `${count(studies, 'study', 'studies')}, ${count(series, 'series', 'series')}, ${count(instances, 'instance')}.`,
  );

  if (studies !== 1 || instances !== study.instances.length) {
    throw new Error(`QIDO-RS found ${studies} studies and ${instances} instances`);
  }
}

async function qido(
  local: RunningOrthanc,
  uri: string,
  args: Record<string, string> = {},
): Promise<number> {
  const answer = await local.client.dicomWebGet(SERVER, uri, args);
  if (!Array.isArray(answer)) throw new Error(`QIDO-RS ${uri} did not answer a list`);

  return answer.length;
}

/** Stores every file in Orthanc; returns Orthanc's id of the study. */
async function upload(orthanc: RunningOrthanc, study: GeneratedStudy): Promise<string> {
  const answers = await mapLimit(study.instances, 4, (i) => orthanc.client.uploadFile(i.path));
  const ids = new Set(answers.map((answer) => answer['ParentStudy']));
  const [id] = ids;
  if (ids.size !== 1 || id === undefined) throw new Error('the files did not make one study');

  return id;
}

async function runJob(orthanc: RunningOrthanc, started: Promise<string>): Promise<void> {
  await orthanc.client.waitForJob(await started, JOB_TIMEOUT_MS);
}

async function instanceCount(orthanc: RunningOrthanc): Promise<number> {
  return (await orthanc.client.listInstances()).length;
}

/** Downloads every instance now in Orthanc and checks it against the file sent; throws if not. */
async function compareWithSent(local: RunningOrthanc, study: GeneratedStudy): Promise<number> {
  const sent = new Map(study.instances.map((i) => [i.sopInstanceUid, i.sha256]));
  const back = await local.client.listInstances();
  const same = await mapLimit(back, 4, async (instance) => {
    const bytes = await local.client.downloadInstance(instance.id);
    return createHash('sha256').update(bytes).digest('hex') === sent.get(instance.sopInstanceUid);
  });

  const identical = same.filter(Boolean).length;
  if (identical !== sent.size || back.length !== sent.size) {
    throw new Error(`${identical} of ${sent.size} instances came back identical`);
  }

  return identical;
}

/** `2.25.1234…5678`: enough of a long UID to recognise it. */
function shortUid(uid: string): string {
  return uid.length > 24 ? `${uid.slice(0, 12)}…${uid.slice(-6)}` : uid;
}
