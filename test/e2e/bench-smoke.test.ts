// The benchmarks are not part of `npm test`, but this run of them at tiny sizes is, so the bench
// code cannot rot between real runs. It builds dist/ first: the bench measures the compiled
// product, the way it ships, and `npm test` does not build otherwise. nginx, wrk and curl
// missing is a failure naming the packages, never a skip.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { assertLoadToolsInstalled } from '../../bench/lib/environment.ts';
import type { SectionResult } from '../../bench/types.ts';
import { stopChild, waitForExit } from '../helpers/child-process.ts';

const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));
const SECTIONS = ['large', 'small', 'tokens', 'orthanc'];
const VARIANTS_OF: Record<string, string[]> = {
  large: ['direct', 'product', 'nginx', 'nginx (64k buffers)', 'minimal node proxy'],
  small: ['direct', 'product', 'product (info logs)', 'nginx', 'minimal node proxy'],
};
const RUN_LIMIT_MS = 120_000;

interface QuickRun {
  code: number | null;
  stdout: string;
  stderr: string;
  record: { sections: Array<SectionResult | { id: string; error: string }> };
}

describe('npm run bench -- --quick', () => {
  let directory: string;
  let run: QuickRun;

  before(
    async () => {
      assertLoadToolsInstalled();
      buildProduct();
      directory = await mkdtemp(join(tmpdir(), 'bench-smoke-'));
      run = await runQuick(join(directory, 'quick.json'));
    },
    { timeout: RUN_LIMIT_MS + 60_000 },
  );

  after(() => rm(directory, { recursive: true, force: true }));

  it('exits 0', () => {
    assert.equal(run.code, 0, `exit code ${run.code}\n${run.stdout}\n${run.stderr}`);
  });

  it('records every section with samples of finite numbers', () => {
    assert.deepEqual(
      run.record.sections.map((s) => s.id),
      SECTIONS,
    );
    for (const section of run.record.sections) {
      assert.ok(
        !('error' in section),
        `${section.id} failed: ${'error' in section && section.error}`,
      );
      assert.ok(section.samples.length > 0, `${section.id} has no samples`);
      for (const sample of section.samples) {
        const values = Object.entries(sample.values);
        assert.ok(values.length > 0, `${section.id}: ${sample.variant} has no figures`);
        for (const [key, value] of values) {
          assert.ok(Number.isFinite(value), `${section.id}: ${sample.variant} ${key} = ${value}`);
        }
      }
    }
  });

  it('measures every variant, and every figure of the table at least once', () => {
    for (const section of run.record.sections) {
      if ('error' in section) continue;

      const variants = new Set(section.samples.map((s) => s.variant));
      const expected = VARIANTS_OF[section.id];
      if (expected) assert.deepEqual([...variants], expected, section.id);
      if (section.baseline) assert.ok(variants.has(section.baseline), section.id);
      for (const figure of section.figures) {
        const measured = section.samples.some((s) => s.values[figure.key] !== undefined);
        assert.ok(measured, `${section.id}: no sample has ${figure.key}`);
      }
    }
  });

  it('prints a Markdown table for each section', () => {
    const headings = run.stdout.match(/^## .+$/gm) ?? [];
    const tables = run.stdout.match(/^\| figure \| variant \| min \| median \| max \|/gm) ?? [];

    assert.equal(headings.length, SECTIONS.length, run.stdout);
    assert.equal(tables.length, SECTIONS.length, run.stdout);
  });
});

function buildProduct(): void {
  const tsc = join(REPOSITORY, 'node_modules', 'typescript', 'bin', 'tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: REPOSITORY,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}${build.stderr}`);
}

async function runQuick(outFile: string): Promise<QuickRun> {
  const child = spawn(process.execPath, [join('bench', 'run.ts'), '--quick', '--out', outFile], {
    cwd: REPOSITORY,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  if (!(await waitForExit(child, RUN_LIMIT_MS))) {
    await stopChild(child);
    assert.fail(`the quick bench ran over ${RUN_LIMIT_MS} ms\n${stdout}\n${stderr}`);
  }

  const text = await readFile(outFile, 'utf8').catch(() => '{"sections":[]}');
  const record = JSON.parse(text) as QuickRun['record'];
  return { code: child.exitCode, stdout, stderr, record };
}
