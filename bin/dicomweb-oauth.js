#!/usr/bin/env node
// Entry point of the `dicomweb-oauth` command. In a checkout it runs the TypeScript sources
// directly (Node's type stripping); in the published package, which ships no sources, it runs
// the compiled dist/.
import { existsSync } from 'node:fs';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(
    `dicomweb-oauth needs Node.js 22 or newer; this is ${process.version}. ` +
      'In a checkout, run it as `npx dicomweb-oauth` so the project’s pinned Node.js is used.',
  );
  process.exit(1);
}

const source = new URL('../src/cli/main.ts', import.meta.url);
const compiled = new URL('../dist/cli/main.js', import.meta.url);
await import(existsSync(source) ? source.href : compiled.href);
