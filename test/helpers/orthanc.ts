import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasExited, stopChild } from './child-process.ts';
import { freeLoopbackPort } from './free-port.ts';
import { assertLoopbackOnly } from './loopback-only.ts';
import { OrthancClient } from './orthanc-client.ts';
import { pollUntil } from './poll.ts';
import { DICOMWEB_PLUGIN, ORTHANC_BINARY } from './required-tools.ts';

export interface OrthancOptions {
  /** Names the instance in its logs, directory and messages ("a", "cloud", ...). */
  name: string;
  /** `DicomWeb.Servers` of this Orthanc, as Orthanc's configuration spells it. */
  dicomWebServers?: Record<string, Record<string, unknown>>;
  /** Default 30 s. */
  startTimeoutMs?: number;
  /** Paths of Lua scripts Orthanc loads at start (`LuaScripts`). */
  luaScripts?: string[];
}

export interface RunningOrthanc {
  name: string;
  port: number;
  /** `http://127.0.0.1:<port>/` */
  url: string;
  client: OrthancClient;
  /** Orthanc's stdout and stderr. */
  logFile: string;
  /** The last lines of the log, for failure messages. */
  logTail(lines?: number): Promise<string>;
  /** Stops Orthanc by its pid and removes its directory (kept when E2E_KEEP_TMP=1). */
  stop(): Promise<void>;
}

/**
 * Starts a real Orthanc with the DICOMweb plugin in a temporary directory, and waits until its
 * REST API answers. Refuses to run outside a loopback-only network namespace.
 */
export async function startOrthanc(options: OrthancOptions): Promise<RunningOrthanc> {
  assertLoopbackOnly();
  const directory = await mkdtemp(join(tmpdir(), `e2e-orthanc-${options.name}-`));
  const port = await freeLoopbackPort();
  const configFile = join(directory, 'orthanc.json');
  await writeFile(configFile, JSON.stringify(orthancConfig(options, directory, port), null, 2));

  const logFile = join(directory, 'orthanc.log');
  const child = spawnLogged(configFile, directory, logFile);
  const url = `http://127.0.0.1:${port}/`;
  const logTail = async (lines = 40): Promise<string> => tail(logFile, lines);
  const stop = async (): Promise<void> => {
    await stopChild(child, 10_000);
    if (process.env.E2E_KEEP_TMP !== '1') {
      await rm(directory, { recursive: true, force: true });
    }
  };

  const client = new OrthancClient(url);
  try {
    await waitUntilServing(child, client, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    const log = await logTail();
    await stop();
    throw new Error(`Orthanc "${options.name}" did not start: ${String(error)}\n${log}`, {
      cause: error,
    });
  }

  return { name: options.name, port, url, client, logFile, logTail, stop };
}

function orthancConfig(options: OrthancOptions, directory: string, port: number): object {
  return {
    Name: `e2e-${options.name}`,
    HttpPort: port,
    StorageDirectory: join(directory, 'storage'),
    IndexDirectory: join(directory, 'index'),
    // No DICOM listener: the tests speak DICOMweb only.
    DicomServerEnabled: false,
    // Every client of this Orthanc is on 127.0.0.1, which Orthanc always admits.
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    SaveJobs: false,
    // Throwaway storage: skip fsync after every file.
    SyncStorageArea: false,
    StorageCompression: false,
    Plugins: [DICOMWEB_PLUGIN],
    LuaScripts: options.luaScripts ?? [],
    DicomWeb: {
      Enable: true,
      Root: '/dicom-web/',
      EnableWado: false,
      ServersInDatabase: false,
      Servers: options.dicomWebServers ?? {},
    },
  };
}

function spawnLogged(configFile: string, directory: string, logFile: string): ChildProcess {
  const log = openSync(logFile, 'a');
  try {
    const child = spawn(ORTHANC_BINARY, [configFile], {
      cwd: directory,
      stdio: ['ignore', log, log],
    });
    // A failed spawn shows in the log tail of the start error.
    child.on('error', (error) => appendFileSync(logFile, `spawn failed: ${String(error)}\n`));
    return child;
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(log);
  }
}

async function waitUntilServing(
  child: ChildProcess,
  client: OrthancClient,
  timeoutMs: number,
): Promise<void> {
  const outcome = await pollUntil(
    async () => {
      if (hasExited(child)) {
        return 'exited';
      }

      await client.system();
      return 'serving';
    },
    { what: `Orthanc at ${client.baseUrl}`, timeoutMs, intervalMs: 100 },
  );
  if (outcome === 'exited') {
    throw new Error(`Orthanc exited early (code ${child.exitCode}, ${child.signalCode})`);
  }
}

async function tail(file: string, lines: number): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').slice(-lines).join('\n');
}
