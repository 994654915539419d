/** How the demo talks: short plain sentences, indented under numbered steps. */

const INDENT = '    ';

let stepNumber = 0;

/** A numbered step: `3. STOW-RS: ...`. Further lines are indented under it. */
export function step(text: string, ...more: string[]): void {
  stepNumber++;
  const number = `${stepNumber}.`.padEnd(INDENT.length);
  console.log(`${number}${text}`);
  for (const line of more) console.log(`${INDENT}${line}`);
}

export function heading(text: string): void {
  console.log(`\n${text}`);
}

/** Lines printed as they are, indented: a configuration, an API answer. */
export function block(text: string): void {
  for (const line of text.split('\n')) console.log(`${INDENT}${line}`);
}

export function line(text = ''): void {
  console.log(text === '' ? '' : `${INDENT}${text}`);
}

export function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** `1 instance`, `12 instances`; the plural is `word` + `s` unless given. */
export function count(n: number, word: string, plural = `${word}s`): string {
  return `${n} ${n === 1 ? word : plural}`;
}

/** Runs `task` and tells how long it took. */
export async function timed<T>(task: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await task();

  return { value, ms: performance.now() - started };
}
