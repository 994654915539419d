/** `dicomweb-oauth check`: validate the configuration without serving. */
import { loadConfig } from '../config/load.ts';
import { formatNotes, formatProblems } from './report.ts';

export async function runCheck(path: string): Promise<number> {
  const result = await loadConfig(path);
  for (const line of formatNotes(result.notes, ['warn'])) console.error(line);

  if (!result.ok) {
    console.error(formatProblems(result.problems));
    return 1;
  }

  const names = [...result.config.servers.keys()];
  const { host, port } = result.config.listen;
  console.log(
    `configuration is valid: ${names.length} server(s) (${names.join(', ')}), ` +
      `listening on ${host}:${port}`,
  );

  return 0;
}
