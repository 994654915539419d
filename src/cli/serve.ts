/** `dicomweb-oauth serve`: load the configuration and run the proxy until told to stop. */
import { loadConfig } from '../config/load.ts';
import type { ConfigNote } from '../config/types.ts';
import { createLogger, type Logger } from '../log/logger.ts';
import { App } from '../server/app.ts';
import { formatProblems } from './report.ts';
import { VERSION } from './version.ts';

/** How long requests in flight may take to finish after SIGTERM. */
const SHUTDOWN_GRACE_MS = 10_000;

export async function runServe(path: string): Promise<number> {
  const result = await loadConfig(path);
  if (!result.ok) {
    console.error(formatProblems(result.problems));
    return 1;
  }

  const { config } = result;
  const log = createLogger({ format: config.logFormat, level: config.logLevel });
  logNotes(log, result.notes);
  const app = new App({ config, logger: log, version: VERSION });
  try {
    const address = await app.listen();
    log.info({ host: address.address, port: address.port, version: VERSION }, 'listening');
  } catch (error) {
    log.fatal({ err: error }, 'cannot listen');
    return 1;
  }

  for (const upstream of app.upstreams.values()) {
    const { url, tokenEndpoint, clientAuthMethod } = upstream.config;
    log.info({ server: upstream.name, url, tokenEndpoint, clientAuthMethod }, 'server configured');
    // A first token now: a wrong secret shows in the log at start, not at the first study,
    // and the first request does not wait. Failures are logged by the token events.
    upstream.tokens.getToken().catch(() => undefined);
  }

  await stopSignal();
  log.info('shutting down');
  await app.close(SHUTDOWN_GRACE_MS);
  log.info('stopped');
  log.flush();

  return 0;
}

function logNotes(log: Logger, notes: ConfigNote[]): void {
  for (const note of notes) {
    log[note.level]({ path: note.path }, note.message);
  }
}

function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve(signal);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}
