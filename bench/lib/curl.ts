/**
 * The large-body client: curl, which costs little CPU and leaves the cores to the proxy. An
 * upload is a chunked `multipart/related` POST whose body dd makes from /dev/zero and curl
 * streams from its standard input (`-T -`; `--data-binary @-` would first read it all into
 * memory). A download is written to /dev/null. Every byte count is checked: a transfer that
 * came out short or long throws.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { track } from './children.ts';

const run = promisify(execFile);

const BOUNDARY = 'b';
const PART_HEAD = `--${BOUNDARY}\r\nContent-Type: application/dicom\r\n\r\n`;
const PART_TAIL = `\r\n--${BOUNDARY}--\r\n`;
const CONTENT_TYPE = `multipart/related; type="application/dicom"; boundary=${BOUNDARY}`;

export interface Transfer {
  /** curl's `time_total`: from the start of the connection to the last byte. */
  seconds: number;
  /** Body bytes, checked at both ends. */
  bytes: number;
}

/** What curl reports with `-w '%{json}'` (the fields used here). */
interface CurlReport {
  http_code: number;
  time_total: number;
  size_download: number;
}

/** curl's report as JSON, on standard error so that standard output carries the answer. */
const REPORT = '%{stderr}%{json}';

/** Longest a transfer may take: as if it ran at 5 MB/s, plus a minute. */
function maxSeconds(bytes: number): number {
  return Math.ceil(bytes / 5e6) + 60;
}

/** POSTs `bytes` bytes to `url`, which must answer `{"bytes": n}` with what it received. */
export async function upload(url: string, bytes: number): Promise<Transfer> {
  const zeros = bytes - PART_HEAD.length - PART_TAIL.length;
  if (zeros < 0) throw new Error(`an upload needs at least ${bytes - zeros} bytes`);

  const curl = [
    ...['curl', '-sS', '--noproxy', '*', '--max-time', String(maxSeconds(bytes))],
    ...['-X', 'POST', '-T', '-', '-H', 'Transfer-Encoding: chunked', '-H', 'Expect:'],
    ...['-H', `Content-Type: ${CONTENT_TYPE}`, '-o', '-', '-w', REPORT, url],
  ];
  // The body's parts come in as positional arguments, never spliced into the script.
  const script =
    'set -o pipefail; { printf "%s" "$1"; ' +
    'dd if=/dev/zero bs=1M count="$2" iflag=count_bytes status=none; printf "%s" "$3"; } ' +
    '| "${@:4}"';
  const { report, body } = await runCurl('bash', [
    ...['-c', script, 'upload', PART_HEAD, String(zeros), PART_TAIL],
    ...curl,
  ]);
  const received = bytesReceived(body);

  // curl's size_upload counts the chunk framing too; the origin's count is the body's.
  if (report.http_code !== 200 || received !== bytes) {
    throw new Error(
      `upload to ${url} went wrong: status ${report.http_code}, ` +
        `the origin received ${String(received)} bytes, expected ${bytes}; ` +
        `the answer: ${body.slice(0, 300)}`,
    );
  }

  return { seconds: report.time_total, bytes };
}

/** The origin's count from its answer `{"bytes": n}`; undefined for any other answer. */
function bytesReceived(body: string): unknown {
  try {
    return (JSON.parse(body) as { bytes?: unknown }).bytes;
  } catch {
    return undefined;
  }
}

/** GETs `url`, which must answer with exactly `bytes` bytes. */
export async function download(url: string, bytes: number): Promise<Transfer> {
  const { report } = await runCurl('curl', [
    ...['-sS', '--noproxy', '*', '--max-time', String(maxSeconds(bytes))],
    ...['-o', '/dev/null', '-w', REPORT, url],
  ]);

  if (report.http_code !== 200 || report.size_download !== bytes) {
    throw new Error(
      `download from ${url} went wrong: status ${report.http_code}, ` +
        `${report.size_download} bytes received, expected ${bytes}`,
    );
  }

  return { seconds: report.time_total, bytes };
}

/** Runs curl (alone or at the end of a pipeline): the answer's body, and curl's report. */
async function runCurl(
  command: string,
  args: string[],
): Promise<{ report: CurlReport; body: string }> {
  try {
    const pending = run(command, args, { encoding: 'utf8' });
    track(pending.child);
    const { stdout, stderr } = await pending;
    return { report: JSON.parse(stderr) as CurlReport, body: stdout };
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`curl failed: ${String(error)}${stderr ? `\n${stderr}` : ''}`, {
      cause: error,
    });
  }
}
