// The walkthrough behind `bash scripts/demo.sh`. It must run inside the loopback-only network
// namespace of scripts/in-netns.sh, as demo.sh arranges:
//   bash scripts/in-netns.sh node scripts/demo/main.ts
// DEMO_KEEP=1 keeps everything running until Ctrl-C.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertLoopbackOnly } from '../../test/helpers/loopback-only.ts';
import { assertToolsInstalled } from '../../test/helpers/required-tools.ts';
import { Teardown } from '../../test/helpers/teardown.ts';
import { SERVER, startComponents, type DemoComponents } from './components.ts';
import { heading, line, seconds } from './output.ts';
import { checkNoSecretsPrinted, reportTraffic, showConfiguration, showServers } from './summary.ts';
import { runRoundTrip } from './walkthrough.ts';

const keep = process.env['DEMO_KEEP'] === '1';
const started = performance.now();
const teardown = new Teardown();
let stopping: Promise<void> | undefined;
let waitingForCtrlC = false;

const signalled = new Promise<NodeJS.Signals>((resolve) => {
  process.once('SIGINT', resolve);
  process.once('SIGTERM', resolve);
});

// A signal during the walkthrough still stops every process and removes every directory.
void signalled.then((signal) => {
  if (waitingForCtrlC) return;

  console.error(`\n${signal}: stopping everything.`);
  void stopAll().finally(() => process.exit(130));
});

/** Stops everything once, however many ways (end, error, signal) ask for it. */
function stopAll(): Promise<void> {
  stopping ??= teardown.run();

  return stopping;
}

async function main(): Promise<void> {
  assertToolsInstalled();
  assertLoopbackOnly();
  const workDirectory = await mkdtemp(join(tmpdir(), 'dicomweb-oauth-demo-'));
  teardown.add('work directory', () => rm(workDirectory, { recursive: true, force: true }));

  console.log('dicomweb-oauth demo: a study to an OAuth2-protected DICOMweb server and back.');
  console.log('Everything runs on loopback, in a network namespace of its own.\n');
  const parts = await startComponents(teardown, workDirectory);
  await runRoundTrip(parts, workDirectory);
  reportTraffic(parts);
  checkNoSecretsPrinted(parts);
  showConfiguration(parts);
  await showServers(parts);

  if (keep) {
    await keepRunning(parts);
    return;
  }

  heading(`All done after ${seconds(performance.now() - started)}; stopping everything.`);
}

async function keepRunning(parts: DemoComponents): Promise<void> {
  const { product, local, cloud, gate, oauth } = parts;
  const enter =
    process.env['DEMO_HOST_UID'] === '0'
      ? `nsenter --net=/proc/${process.pid}/ns/net bash`
      : `nsenter --target ${process.pid} --user --net --preserve-credentials bash`;
  heading('DEMO_KEEP=1: everything keeps running. To look around, from another shell run:');
  line(`${enter}      # a shell inside this demo's network namespace`);
  line('and there, for example:');
  line(`curl -s ${product.origin}/dicomweb-oauth/servers`);
  line(`curl -s ${product.origin}/oauth-dicom-web/servers/${SERVER}/studies`);
  line(`curl -s ${local.url}dicom-web/servers/${SERVER}/get -d '{"Uri": "/studies"}'`);
  heading('Addresses:');
  line(`dicomweb-oauth          ${product.origin}`);
  line(`local Orthanc           ${local.url}`);
  line(`token gate (cloud)      ${gate.origin}/dicom-web/`);
  line(`cloud Orthanc (no gate) ${cloud.url}`);
  line(`OAuth token endpoint    ${oauth.tokenEndpoint}`);
  heading('Press Ctrl-C to stop everything.');

  waitingForCtrlC = true;
  await signalled;
  heading('Stopping everything.');
}

try {
  await main();
  await stopAll();
  console.log(`Stopped. The demo took ${seconds(performance.now() - started)} in all.`);
} catch (error) {
  console.error(`\nThe demo failed: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll().catch((failure: unknown) => console.error(String(failure)));
  process.exitCode = 1;
}
