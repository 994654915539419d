/** The `dicomweb-oauth` command line. */
import { parseArgs } from 'node:util';
import { runCheck } from './check.ts';
import { runServe } from './serve.ts';
import { VERSION } from './version.ts';

const USAGE = `Usage: dicomweb-oauth <command> --config <file-or-directory>

Commands:
  serve   Run the proxy: Orthanc's DICOMweb traffic to OAuth2-protected servers
  check   Validate the configuration and exit (0 when valid, 1 when not)

Options:
  -c, --config <path>  orthanc.json, or a directory of .json files merged as Orthanc does
  -h, --help           Show this help
  -v, --version        Show the version
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });

  if (values.version) {
    console.log(VERSION);
    return 0;
  }

  const command = positionals[0];
  if (values.help || command === undefined) {
    (command === undefined && !values.help ? console.error : console.log)(USAGE);
    return values.help ? 0 : 2;
  }

  if (command !== 'serve' && command !== 'check') {
    console.error(`dicomweb-oauth: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }

  if (values.config === undefined) {
    console.error(`dicomweb-oauth ${command}: --config <path> is required\n\n${USAGE}`);
    return 2;
  }

  return command === 'serve' ? runServe(values.config) : runCheck(values.config);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`dicomweb-oauth: ${message}`);
  process.exitCode = 2;
}
