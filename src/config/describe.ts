/**
 * How messages show the value they received. Values of secret keys never go to `received`;
 * they are described by kind only, with `receivedKind`.
 */

/** `an array`, `a number`, ... : what a value is, without showing it. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.trim() === '' ? 'a blank string' : 'a string';
  if (typeof value === 'object') return 'an object';

  return `a ${typeof value}`;
}

/** `received "abc"`, `received 5`, `received an object`. */
export function received(value: unknown): string {
  if (typeof value === 'string') return `received ${quote(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `received ${value}`;

  return `received ${kindOf(value)}`;
}

/** `received a number`: for secret values, whose content must never be shown. */
export function receivedKind(value: unknown): string {
  return `received ${kindOf(value)}`;
}

export function quote(text: string): string {
  return JSON.stringify(text);
}
