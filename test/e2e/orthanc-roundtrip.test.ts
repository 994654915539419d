// A study goes from one real Orthanc to another through the product and comes back, while the
// receiving side demands short-lived OAuth tokens: STOW-RS out, QIDO-RS to find it, WADO-RS
// back, across several token refreshes. Run it inside a loopback-only network namespace:
//   bash scripts/in-netns.sh node --test test/e2e/orthanc-roundtrip.test.ts
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { generateStudy, type GeneratedStudy } from '../helpers/dicom-study.ts';
import { mapLimit } from '../helpers/map-limit.ts';
import { startOAuthServer, type RunningOAuthServer } from '../helpers/oauth-server.ts';
import { startOrthanc, type RunningOrthanc } from '../helpers/orthanc.ts';
import { oneServerConfig, startProduct, type RunningProduct } from '../helpers/product.ts';
import { assertToolsInstalled } from '../helpers/required-tools.ts';
import { Teardown } from '../helpers/teardown.ts';
import { startTokenGate, type RunningTokenGate } from '../helpers/token-gate.ts';

/** Short enough that the run spans several refreshes, long enough for a request to finish. */
const TOKEN_TTL_SECONDS = 3;
const STUDY_MIN_BYTES = 50 * 1024 * 1024;
const SERVER = 'cloud';
const STUDY_INSTANCE_UID = '0020000D';
/** The bound of each step; the whole file runs in about 15 s. */
const STEP = { timeout: 60_000 };

describe('a study through dicomweb-oauth to an OAuth-protected Orthanc and back', () => {
  const teardown = new Teardown();
  let oauth: RunningOAuthServer;
  let cloud: RunningOrthanc;
  let gate: RunningTokenGate;
  let product: RunningProduct;
  let sender: RunningOrthanc;
  let study: GeneratedStudy;
  let senderStudyId: string;
  /** When the product was started: the token budget is counted from here. */
  let productStartedAt: number;

  before(startComponents, STEP);
  after(() => teardown.run(), { timeout: 30_000 });

  it('sends the study with STOW-RS, every instance arriving', STEP, async () => {
    await explained(async () => {
      const job = await sender.client.startStow(SERVER, [senderStudyId]);
      await sender.client.waitForJob(job, 50_000);

      const stored = await cloud.client.listInstances();
      assert.deepEqual(sortedUids(stored), sortedUids(study.instances));
    });
  });

  it('finds the study with QIDO-RS on every round while tokens rotate', STEP, async () => {
    await explained(async () => {
      // Rounds go on until the gate has seen three tokens, which takes two refreshes.
      const deadline = Date.now() + 6 * TOKEN_TTL_SECONDS * 1000;
      do {
        assert.deepEqual(await queryStudyUids(), [study.studyInstanceUid]);
        await delay(200);
      } while (gate.stats.tokens.size < 3 && Date.now() < deadline);

      assert.ok(gate.stats.tokens.size >= 3, `the gate saw ${gate.stats.tokens.size} tokens`);
    });
  });

  it('retrieves the study with WADO-RS, byte for byte', STEP, async () => {
    await explained(async () => {
      await sender.client.deleteStudy(senderStudyId);
      assert.equal((await sender.client.listInstances()).length, 0);

      const job = await sender.client.startRetrieve(SERVER, [{ Study: study.studyInstanceUid }]);
      await sender.client.waitForJob(job, 50_000);

      // Orthanc derives its ids from the DICOM UIDs: the study is back under the same id.
      assert.equal(await sender.client.findStudy(study.studyInstanceUid), senderStudyId);
      const back = await sender.client.listInstances();
      assert.deepEqual(sortedUids(back), sortedUids(study.instances));
      const expected = new Map(study.instances.map((i) => [i.sopInstanceUid, i.sha256]));
      await mapLimit(back, 4, async (instance) => {
        const sha256 = createHash('sha256')
          .update(await sender.client.downloadInstance(instance.id))
          .digest('hex');
        assert.equal(sha256, expected.get(instance.sopInstanceUid), instance.sopInstanceUid);
      });
    });
  });

  it('got past the gate every time, refreshing tokens on schedule', (t) => {
    t.diagnostic(
      `${study.instances.length} instances, ${(study.totalBytes / 2 ** 20).toFixed(1)} MiB; ` +
        `gate: ${gate.stats.accepted} requests, ${gate.stats.tokens.size} tokens; ` +
        `token endpoint: ${oauth.stats.tokenRequests} requests`,
    );
    assert.deepEqual(gate.stats.rejections, []);
    assert.ok(gate.stats.tokens.size >= 3, `the gate saw ${gate.stats.tokens.size} tokens`);

    // The product refreshes a token this short-lived when half its lifetime is left.
    const elapsedSeconds = (performance.now() - productStartedAt) / 1000;
    const budget = Math.floor(elapsedSeconds / (TOKEN_TTL_SECONDS / 2)) + 2;
    const requests = oauth.stats.tokenRequests;
    assert.ok(requests >= 3, `only ${requests} token requests`);
    assert.ok(
      requests <= budget,
      `${requests} token requests in ${elapsedSeconds.toFixed(1)} s; at most ${budget} expected`,
    );
  });

  it('stops on SIGTERM with no secret or token anywhere in its output', STEP, async () => {
    await product.stop();
    const output = product.output();

    assert.ok(!output.includes(oauth.client.clientSecret), 'the client secret was printed');
    const printed = [...gate.stats.tokens].filter((token) => output.includes(token));
    assert.equal(printed.length, 0, `${printed.length} access tokens were printed`);
  });

  /** Starts everything, each registered for teardown as soon as it runs, and loads the study. */
  async function startComponents(): Promise<void> {
    assertToolsInstalled();
    const workDirectory = await mkdtemp(join(tmpdir(), 'e2e-roundtrip-'));
    teardown.add('work directory', () => rm(workDirectory, { recursive: true, force: true }));
    study = await generateStudy({ directory: workDirectory, minTotalBytes: STUDY_MIN_BYTES });

    oauth = await startOAuthServer({ accessTokenTtlSeconds: TOKEN_TTL_SECONDS });
    teardown.add('OAuth server', () => oauth.close());
    cloud = await startOrthanc({ name: 'cloud' });
    teardown.add('cloud Orthanc', () => cloud.stop());
    gate = await startTokenGate({
      upstream: cloud.url,
      jwksUrl: oauth.jwksUrl,
      issuer: oauth.issuer,
      audience: oauth.audience,
    });
    teardown.add('token gate', () => gate.close());

    productStartedAt = performance.now();
    product = await startProduct({ config: productConfig(oauth, gate) });
    teardown.add('product', () => product.stop());
    sender = await startOrthanc({
      name: 'sender',
      dicomWebServers: {
        [SERVER]: {
          Url: `${product.origin}/oauth-dicom-web/servers/${SERVER}/`,
          ChunkedTransfers: true,
          // Seconds per HTTP call; a hung proxy fails the step instead of the whole suite.
          Timeout: 30,
        },
      },
    });
    teardown.add('sender Orthanc', () => sender.stop());

    senderStudyId = await upload(sender, study);
  }

  /** Runs a step; if it fails, adds what each component has to say to the error. */
  async function explained(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      const report = [
        `gate: ${gate.stats.accepted} accepted, ${gate.stats.rejections.length} refused`,
        ...gate.stats.rejections.map((r) => `  ${r.method} ${r.path}: ${r.reason}`),
        `token requests: ${oauth.stats.tokenRequests}`,
        `--- product output (tail):\n${tail(product.output(), 30)}`,
        `--- sender Orthanc log (tail):\n${await sender.logTail(20)}`,
        `--- cloud Orthanc log (tail):\n${await cloud.logTail(20)}`,
      ];
      throw new Error(`${String(error)}\n${report.join('\n')}`, { cause: error });
    }
  }

  async function queryStudyUids(): Promise<string[]> {
    const found = (await sender.client.dicomWebGet(SERVER, '/studies', {
      StudyInstanceUID: study.studyInstanceUid,
    })) as Array<Record<string, { Value?: string[] }>>;
    return found.map((match) => match[STUDY_INSTANCE_UID]?.Value?.[0] ?? '');
  }
});

function productConfig(oauth: RunningOAuthServer, gate: RunningTokenGate): object {
  return oneServerConfig(SERVER, {
    Url: `${gate.origin}/dicom-web/`,
    TokenEndpoint: oauth.tokenEndpoint,
    ClientId: oauth.client.clientId,
    ClientSecret: oauth.client.clientSecret,
    TokenRefreshBufferSeconds: 300,
  });
}

/** Stores every file of the study in Orthanc; returns Orthanc's id of the study. */
async function upload(orthanc: RunningOrthanc, study: GeneratedStudy): Promise<string> {
  const answers = await mapLimit(study.instances, 4, (i) => orthanc.client.uploadFile(i.path));
  const studyIds = new Set(answers.map((answer) => answer.ParentStudy));
  assert.equal(studyIds.size, 1, 'the instances should make one study in Orthanc');
  return [...studyIds][0] ?? '';
}

function sortedUids(instances: ReadonlyArray<{ sopInstanceUid: string }>): string[] {
  return instances.map((i) => i.sopInstanceUid).sort();
}

function tail(text: string, lines: number): string {
  return text.split('\n').slice(-lines).join('\n');
}
