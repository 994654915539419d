import { received } from './describe.ts';
import type { SectionReader } from './section-reader.ts';

/** Global keys of the earlier Python plugin that this version accepts but does not use. */
export const LEGACY_KEYS: readonly string[] = [
  'MaxCachedServers',
  'EnableConfigReload',
  'ConfigPath',
];

const IGNORED = 'accepted for compatibility with the earlier plugin, ignored by this version';

/** Checks their types, so a file that works today keeps working when they gain a meaning. */
export function readLegacyKeys(reader: SectionReader): void {
  if (reader.has('MaxCachedServers')) checkMaxCachedServers(reader);
  if (reader.has('EnableConfigReload')) reader.boolean('EnableConfigReload', false);
  if (reader.has('ConfigPath')) reader.string('ConfigPath');

  for (const key of LEGACY_KEYS) {
    if (reader.has(key)) reader.debug(key, IGNORED);
  }
}

function checkMaxCachedServers(reader: SectionReader): void {
  const value = reader.get('MaxCachedServers');
  if (value === undefined) return;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return;

  reader.problem('MaxCachedServers', `must be a whole number above 0 (${received(value)})`);
}
