import { readFile } from 'node:fs/promises';
import { pollUntil } from './poll.ts';

/** The part of Orthanc's `/jobs/<id>` answer the tests read. */
export interface OrthancJob {
  ID: string;
  State: 'Pending' | 'Running' | 'Success' | 'Failure' | 'Paused' | 'Retry';
  ErrorCode?: number;
  ErrorDescription?: string;
  ErrorDetails?: string;
  Content?: Record<string, unknown>;
}

export interface StoredInstance {
  /** Orthanc's own identifier of the instance. */
  id: string;
  sopInstanceUid: string;
}

/** One resource for the DICOMweb plugin's `/retrieve`: a study, or narrower. */
export interface RetrieveResource {
  Study: string;
  Series?: string;
  Instance?: string;
}

const REQUEST_TIMEOUT_MS = 60_000;

/** The few calls of Orthanc's REST API (and of its DICOMweb plugin) the end-to-end tests use. */
export class OrthancClient {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async system(): Promise<Record<string, unknown>> {
    return (await this.json('GET', '/system')) as Record<string, unknown>;
  }

  /** Stores one DICOM file; returns Orthanc's answer (`ID`, `ParentStudy`, `Status`, ...). */
  async uploadFile(path: string): Promise<Record<string, string>> {
    const body = await readFile(path);
    const answer = await this.send('POST', '/instances', body, 'application/dicom');
    return (await answer.json()) as Record<string, string>;
  }

  async listInstances(): Promise<StoredInstance[]> {
    const expanded = (await this.json('GET', '/instances?expand')) as Array<{
      ID: string;
      MainDicomTags: { SOPInstanceUID: string };
    }>;
    return expanded.map((i) => ({ id: i.ID, sopInstanceUid: i.MainDicomTags.SOPInstanceUID }));
  }

  /** The file exactly as Orthanc stored it. */
  async downloadInstance(id: string): Promise<Buffer> {
    const answer = await this.send('GET', `/instances/${id}/file`);
    return Buffer.from(await answer.arrayBuffer());
  }

  /** Orthanc's identifier of the study with this StudyInstanceUID, or undefined. */
  async findStudy(studyInstanceUid: string): Promise<string | undefined> {
    const found = (await this.json('POST', '/tools/lookup', studyInstanceUid)) as Array<{
      ID: string;
      Type: string;
    }>;
    return found.find((r) => r.Type === 'Study')?.ID;
  }

  async deleteStudy(id: string): Promise<void> {
    await this.send('DELETE', `/studies/${id}`);
  }

  /** Starts a STOW-RS job sending Orthanc resources (any level) to a DICOMweb server. */
  async startStow(server: string, resources: string[]): Promise<string> {
    const body = { Resources: resources, Synchronous: false };
    return this.jobId(await this.json('POST', `/dicom-web/servers/${server}/stow`, body));
  }

  /** Starts a WADO-RS job storing the given remote resources here. */
  async startRetrieve(server: string, resources: RetrieveResource[]): Promise<string> {
    const body = { Resources: resources, Synchronous: false };
    return this.jobId(await this.json('POST', `/dicom-web/servers/${server}/retrieve`, body));
  }

  /**
   * A GET on the DICOMweb server, relayed by the plugin and answered with the server's body.
   * The plugin refuses a `?` in `uri`: query parameters go in `args`.
   */
  async dicomWebGet(
    server: string,
    uri: string,
    args: Record<string, string> = {},
  ): Promise<unknown> {
    const body = { Uri: uri, Arguments: args };
    return this.json('POST', `/dicom-web/servers/${server}/get`, body);
  }

  /** Waits for a job to end; throws with Orthanc's error when it failed. */
  async waitForJob(id: string, timeoutMs: number): Promise<OrthancJob> {
    const job = await pollUntil(
      async () => {
        const current = (await this.json('GET', `/jobs/${id}`)) as OrthancJob;
        return current.State === 'Success' || current.State === 'Failure' ? current : undefined;
      },
      { what: `Orthanc job ${id} at ${this.baseUrl}`, timeoutMs, intervalMs: 200 },
    );
    if (job.State === 'Failure') {
      const details = [job.ErrorDescription, job.ErrorDetails].filter(Boolean).join(': ');
      throw new Error(`Orthanc job ${id} (${this.baseUrl}) failed: ${details}`);
    }

    return job;
  }

  private jobId(answer: unknown): string {
    const id = (answer as { ID?: unknown }).ID;
    if (typeof id !== 'string') {
      throw new Error(`expected a job id from Orthanc, got ${JSON.stringify(answer)}`);
    }

    return id;
  }

  private async json(method: string, path: string, body?: unknown): Promise<unknown> {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const answer = await this.send(method, path, body === undefined ? undefined : text);
    return answer.json();
  }

  private async send(
    method: string,
    path: string,
    body?: string | Uint8Array,
    contentType = 'application/json',
  ): Promise<Response> {
    const answer = await fetch(new URL(path, this.baseUrl), {
      method,
      body,
      headers: body === undefined ? {} : { 'content-type': contentType },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (!answer.ok) {
      const text = await answer.text();
      throw new Error(`${method} ${path} on ${this.baseUrl} answered ${answer.status}: ${text}`);
    }

    return answer;
  }
}
