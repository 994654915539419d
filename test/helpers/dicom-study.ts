import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { newDicomUid } from './dicom-uid.ts';
import { mapLimit } from './map-limit.ts';
import { DUMP2DCM } from './required-tools.ts';

const run = promisify(execFile);

/** Secondary Capture Image Storage: needs no modality-specific attributes. */
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';

export interface StudyOptions {
  /** Where the files go; created if missing. */
  directory: string;
  /** The study holds at least this many bytes of pixel data. */
  minTotalBytes: number;
  /** Default 3. */
  seriesCount?: number;
  /** Image size in pixels, 16 bits each; default 1024 × 1024 (2 MiB per instance). */
  rows?: number;
  columns?: number;
  /** How many dump2dcm runs at once; default 4. */
  parallelism?: number;
}

export interface GeneratedInstance {
  path: string;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  /** Hex SHA-256 of the whole file as written. */
  sha256: string;
  sizeBytes: number;
}

export interface GeneratedStudy {
  studyInstanceUid: string;
  patientId: string;
  patientName: string;
  seriesInstanceUids: string[];
  instances: GeneratedInstance[];
  totalBytes: number;
}

interface InstancePlan {
  seriesIndex: number;
  instanceNumber: number;
  sopInstanceUid: string;
}

/**
 * Writes a real DICOM study with dcmtk's dump2dcm: one study, several series of 16-bit
 * monochrome Secondary Capture images filled with random pixels, Explicit VR Little Endian.
 */
export async function generateStudy(options: StudyOptions): Promise<GeneratedStudy> {
  const rows = options.rows ?? 1024;
  const columns = options.columns ?? 1024;
  const seriesCount = options.seriesCount ?? 3;
  const count = Math.max(seriesCount, Math.ceil(options.minTotalBytes / (rows * columns * 2)));

  const suffix = randomBytes(4).toString('hex');
  const study = {
    studyInstanceUid: newDicomUid(),
    patientId: `E2E-${suffix}`,
    patientName: `E2E^Roundtrip^${suffix}`,
    seriesInstanceUids: Array.from({ length: seriesCount }, newDicomUid),
  };
  const plans: InstancePlan[] = Array.from({ length: count }, (_, i) => ({
    seriesIndex: i % seriesCount,
    instanceNumber: Math.floor(i / seriesCount) + 1,
    sopInstanceUid: newDicomUid(),
  }));

  await mkdir(options.directory, { recursive: true });
  const instances = await mapLimit(plans, options.parallelism ?? 4, (plan) =>
    writeInstance(options.directory, { ...study, ...plan, rows, columns }),
  );
  const totalBytes = instances.reduce((sum, instance) => sum + instance.sizeBytes, 0);

  return { ...study, instances, totalBytes };
}

async function writeInstance(directory: string, fields: DumpFields): Promise<GeneratedInstance> {
  const base = join(directory, `s${fields.seriesIndex + 1}-i${fields.instanceNumber}`);
  const pixelFile = `${base}.raw`;
  const dumpFile = `${base}.txt`;
  const path = `${base}.dcm`;

  await writeFile(pixelFile, randomBytes(fields.rows * fields.columns * 2));
  await writeFile(dumpFile, instanceDump(fields, pixelFile));
  try {
    // +te: Explicit VR Little Endian, which Orthanc stores and serves without transcoding.
    await run(DUMP2DCM, ['+te', dumpFile, path], { timeout: 30_000 });
  } finally {
    await rm(pixelFile, { force: true });
    await rm(dumpFile, { force: true });
  }

  const bytes = await readFile(path);
  return {
    path,
    sopInstanceUid: fields.sopInstanceUid,
    seriesInstanceUid: fields.seriesInstanceUids[fields.seriesIndex] ?? '',
    sha256: createHash('sha256').update(bytes).digest('hex'),
    sizeBytes: bytes.length,
  };
}

interface DumpFields extends InstancePlan {
  studyInstanceUid: string;
  seriesInstanceUids: string[];
  patientId: string;
  patientName: string;
  rows: number;
  columns: number;
}

/** The dump2dcm text of one instance; the pixel data is read from `pixelFile` as is. */
function instanceDump(f: DumpFields, pixelFile: string): string {
  return [
    `(0008,0016) UI [${SECONDARY_CAPTURE}]`,
    `(0008,0018) UI [${f.sopInstanceUid}]`,
    '(0008,0020) DA [20240115]',
    '(0008,0030) TM [101500]',
    '(0008,0050) SH [E2E]',
    '(0008,0060) CS [OT]',
    '(0008,0064) CS [WSD]',
    `(0008,103e) LO [E2E series ${f.seriesIndex + 1}]`,
    `(0010,0010) PN [${f.patientName}]`,
    `(0010,0020) LO [${f.patientId}]`,
    `(0020,000d) UI [${f.studyInstanceUid}]`,
    `(0020,000e) UI [${f.seriesInstanceUids[f.seriesIndex]}]`,
    '(0020,0010) SH [1]',
    `(0020,0011) IS [${f.seriesIndex + 1}]`,
    `(0020,0013) IS [${f.instanceNumber}]`,
    '(0028,0002) US 1',
    '(0028,0004) CS [MONOCHROME2]',
    `(0028,0010) US ${f.rows}`,
    `(0028,0011) US ${f.columns}`,
    '(0028,0100) US 16',
    '(0028,0101) US 16',
    '(0028,0102) US 15',
    '(0028,0103) US 0',
    `(7fe0,0010) OW =${pixelFile}`,
    '',
  ].join('\n');
}
