import { received } from './describe.ts';
import { LEGACY_KEYS, readLegacyKeys } from './legacy-keys.ts';
import { DEFAULT_LISTEN, parseListen } from './listen.ts';
import { requireObject, SectionReader } from './section-reader.ts';
import type { ServerContext } from './server.ts';
import { readServer } from './server.ts';
import type { AppConfig, ListenAddress, LogFormat, LogLevel, ServerConfig } from './types.ts';

/** The section of orthanc.json that belongs to this service. */
export const SECTION = 'DicomWebOAuth';

const GLOBAL_KEYS: readonly string[] = [
  'Listen',
  'LogFormat',
  'LogLevel',
  'Servers',
  ...LEGACY_KEYS,
];

const LOG_FORMATS: readonly LogFormat[] = ['json', 'text'];

const LOG_LEVELS: readonly LogLevel[] = [
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'fatal',
  'silent',
];

/**
 * Checks the `DicomWebOAuth` section (after `${VAR}` expansion) against every rule and
 * builds the configuration; undefined when any problem was reported.
 */
export async function validateSection(
  value: unknown,
  context: ServerContext,
): Promise<AppConfig | undefined> {
  const { report } = context;
  const section = requireObject(value, SECTION, report);
  if (section === undefined) return undefined;

  const problemsBefore = report.problems.length;
  const reader = new SectionReader(section, SECTION, report);
  reader.reportUnknownKeys(GLOBAL_KEYS);
  const listen = readListen(reader);
  const logFormat = reader.oneOf('LogFormat', LOG_FORMATS, 'json');
  // The earlier plugin documented Python's level names: INFO, WARNING, ...
  const logLevel = reader.oneOf('LogLevel', LOG_LEVELS, 'info', {
    ignoreCase: true,
    aliases: { warning: 'warn' },
  });
  readLegacyKeys(reader);
  const servers = await readServers(reader, context);
  if (servers === undefined || report.problems.length > problemsBefore) return undefined;

  return { listen, logFormat, logLevel, servers };
}

function readListen(reader: SectionReader): ListenAddress {
  const text = reader.string('Listen');
  if (text === undefined) return { ...DEFAULT_LISTEN };

  const parsed = parseListen(text);
  if (parsed.ok) return parsed.value;

  reader.problem('Listen', `${parsed.reason} (${received(text)})`);
  return { ...DEFAULT_LISTEN };
}

async function readServers(
  reader: SectionReader,
  context: ServerContext,
): Promise<Map<string, ServerConfig> | undefined> {
  if (!reader.has('Servers')) {
    reader.problem('Servers', 'is required: an object with one entry per DICOMweb server');
    return undefined;
  }

  const value = reader.get('Servers');
  // Present but undefined: its ${VAR} is missing, which is reported already.
  if (value === undefined) return undefined;

  const section = requireObject(value, reader.pathOf('Servers'), context.report);
  if (section === undefined) return undefined;

  const entries = Object.entries(section);
  if (entries.length === 0) {
    reader.problem('Servers', 'must define at least one server');
    return undefined;
  }

  const servers = new Map<string, ServerConfig>();
  // One at a time, so problems come out in the order of the file.
  for (const [name, entry] of entries) {
    const server = await readServer(name, entry, context);
    if (server !== undefined) servers.set(name, server);
  }

  return servers;
}
