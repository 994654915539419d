/** How configuration problems and notes are shown on a terminal. */
import type { ConfigNote, ConfigProblem } from '../config/types.ts';

export function formatProblems(problems: ConfigProblem[]): string {
  const lines = problems.map((p) => `  ${p.path}: ${p.message}`);
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;

  return `configuration has ${count}:\n${lines.join('\n')}`;
}

export function formatNotes(notes: ConfigNote[], levels: ConfigNote['level'][]): string[] {
  return notes
    .filter((n) => levels.includes(n.level))
    .map((n) => `${n.level === 'warn' ? 'warning' : 'note'}: ${n.path}: ${n.message}`);
}
