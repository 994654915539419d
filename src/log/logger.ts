/**
 * The service's logger. JSON lines by default (pino), or a readable text form. Redaction is a
 * second line of defence: no code path puts a header or secret in a log entry, and if one ever
 * did, these paths would still be censored.
 */
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import type { LogFormat, LogLevel } from '../config/types.ts';

export type { Logger } from 'pino';

export interface LoggerOptions {
  format: LogFormat;
  level: LogLevel;
  /** Where lines go; standard output when absent. Tests pass a capturing stream. */
  destination?: DestinationStream;
}

/**
 * Explicit paths only: wildcards make the redactor walk every key of every line, which cost
 * about 25 µs per access line here. Log records are flat, so the fields that could ever hold
 * a credential are known: at the top level, and in the request and header objects that a
 * careless future log call might pass.
 */
const SECRET_FIELDS = [
  'authorization',
  'proxyAuthorization',
  'cookie',
  'clientSecret',
  'client_secret',
  'accessToken',
  'access_token',
];

export const REDACT_PATHS = [
  ...SECRET_FIELDS,
  'token.value',
  'headers',
  'req.headers',
  'res.headers',
  ...SECRET_FIELDS.map((field) => `config.${field}`),
];

export function createLogger(opts: LoggerOptions): Logger {
  const destination = opts.destination ?? pino.destination({ sync: false });
  const stream = opts.format === 'text' ? textStream(destination) : destination;

  return pino(
    {
      level: opts.level,
      base: { service: 'dicomweb-oauth' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
}

/** pino-pretty is loaded only for the text format: JSON logging does not pay for it. */
function textStream(destination: DestinationStream): PinoPretty.PrettyStream {
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;

  return pretty({
    destination,
    colorize: false,
    singleLine: true,
    sync: true,
    translateTime: 'SYS:standard',
  });
}
