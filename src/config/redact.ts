/** Keys whose values are secrets: never quoted, and masked wherever else they turn up. */
export const SECRET_KEYS: ReadonlySet<string> = new Set(['ClientSecret']);

// Shorter values would blank out ordinary words of every message; they are not secrets
// worth the name, and no message quotes a secret in the first place.
const MIN_REDACTED_LENGTH = 4;

const MASK = '[redacted]';

/**
 * The last line of defence: masks every known secret value in paths and messages, in case
 * one reached a message by a route no rule foresaw (a secret pasted into the wrong key, or
 * a variable used in two places).
 */
export function redactSecrets<T extends { path: string; message: string }>(
  items: readonly T[],
  secrets: ReadonlySet<string>,
): T[] {
  // Messages quote values with JSON.stringify, so mask the escaped spelling too.
  const spellings = [...secrets].flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]);
  const masked = [...new Set(spellings)].filter((text) => text.length >= MIN_REDACTED_LENGTH);
  // Longest first, so a secret containing another is masked whole.
  masked.sort((a, b) => b.length - a.length);

  return items.map((item) => ({
    ...item,
    path: mask(item.path, masked),
    message: mask(item.message, masked),
  }));
}

function mask(text: string, secrets: readonly string[]): string {
  return secrets.reduce((result, secret) => result.replaceAll(secret, MASK), text);
}
