/**
 * JSON with the comments Orthanc allows in its configuration files (`//` and `/* ... *\/`).
 *
 * Parsed by hand rather than with JSON.parse, whose errors give no line or column and quote
 * the text around the mistake, which may be a secret. Messages here never quote the input.
 */

export interface JsoncDuplicateKey {
  /** Keys from the top of the document down to the repeated one. */
  keys: string[];
  line: number;
  column: number;
}

export type JsoncResult =
  | { ok: true; value: unknown; duplicates: JsoncDuplicateKey[] }
  | { ok: false; reason: string; line: number; column: number };

// Far deeper than any configuration; stops a hostile file from overflowing the stack.
const MAX_DEPTH = 256;

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const NUMBER_TAIL = /[0-9A-Za-z.]/;
const ESCAPES = '"\\/bfnrt';
const HEX4 = /^[0-9A-Fa-f]{4}$/;

class JsoncSyntaxError extends Error {
  readonly offset: number;

  constructor(reason: string, offset: number) {
    super(reason);
    this.offset = offset;
  }
}

export function parseJsonc(text: string): JsoncResult {
  const parser = new Parser(text);
  try {
    const value = parser.document();
    return { ok: true, value, duplicates: parser.duplicates };
  } catch (error) {
    if (!(error instanceof JsoncSyntaxError)) throw error;

    return { ok: false, reason: error.message, ...lineAndColumn(text, error.offset) };
  }
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }

  return { line, column: offset - lineStart + 1 };
}

class Parser {
  readonly duplicates: JsoncDuplicateKey[] = [];
  private readonly text: string;
  private readonly keys: string[] = [];
  private pos = 0;

  constructor(text: string) {
    this.text = text;
  }

  document(): unknown {
    if (this.text.startsWith('\uFEFF')) this.pos = 1;
    const value = this.value(0);
    this.skipTrivia();
    if (this.pos < this.text.length) this.fail('unexpected text after the end of the document');

    return value;
  }

  private value(depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail(`nested more than ${MAX_DEPTH} levels deep`);
    this.skipTrivia();
    const char = this.text[this.pos];
    if (char === '{') return this.object(depth);
    if (char === '[') return this.array(depth);
    if (char === '"') return this.string();
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return this.number();
    if (this.literal('true')) return true;
    if (this.literal('false')) return false;
    if (this.literal('null')) return null;
    // Orthanc substitutes variables in the raw text; here they must be inside a string.
    if (char === '$') this.fail('expected a value; write ${VAR} inside double quotes');

    return this.fail('expected a value (string, number, object, array, true, false or null)');
  }

  private object(depth: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.pos++;
    this.skipTrivia();
    while (this.text[this.pos] !== '}') {
      const keyOffset = this.pos;
      if (this.text[this.pos] !== '"') this.fail('expected a key in double quotes, or "}"');
      const key = this.string();
      this.skipTrivia();
      this.expect(':', 'expected ":" after the key');
      this.keys.push(key);
      const value = this.value(depth + 1);
      this.keys.pop();
      if (Object.hasOwn(result, key)) this.noteDuplicate(key, keyOffset);
      // defineProperty, not assignment, so a key named __proto__ stays a plain key.
      Object.defineProperty(result, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      if (!this.separator()) break;
    }

    this.expect('}', 'expected "," or "}" after a value in an object');
    return result;
  }

  private array(depth: number): unknown[] {
    const result: unknown[] = [];
    this.pos++;
    this.skipTrivia();
    while (this.text[this.pos] !== ']') {
      this.keys.push(String(result.length));
      result.push(this.value(depth + 1));
      this.keys.pop();
      if (!this.separator()) break;
    }

    this.expect(']', 'expected "," or "]" after a value in an array');
    return result;
  }

  /**
   * Consumes a comma if there is one. A comma before the closing bracket is accepted:
   * JsonCpp, which Orthanc reads its files with, accepts it, so a file Orthanc takes must
   * not be refused here.
   */
  private separator(): boolean {
    this.skipTrivia();
    if (this.text[this.pos] !== ',') return false;

    this.pos++;
    this.skipTrivia();
    return true;
  }

  private string(): string {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const code = this.text.charCodeAt(this.pos);
      if (Number.isNaN(code) || code === 0x0a || code === 0x0d) {
        this.fail('string not closed before the end of the line', start);
      }
      if (code === 0x22) break;
      if (code < 0x20) this.fail('control character inside a string; write it as an escape');
      if (code === 0x5c) this.escape();
      else this.pos++;
    }

    this.pos++;
    // The slice is now a well-formed JSON string literal; let the engine decode escapes.
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  private escape(): void {
    const next = this.text[this.pos + 1];
    if (next === 'u') {
      if (!HEX4.test(this.text.slice(this.pos + 2, this.pos + 6))) {
        this.fail('\\u must be followed by four hexadecimal digits');
      }
      this.pos += 6;
      return;
    }

    if (next === undefined || !ESCAPES.includes(next)) this.fail('invalid escape in a string');
    this.pos += 2;
  }

  private number(): number {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    const end = this.pos + (match?.[0].length ?? 0);
    if (match === null || NUMBER_TAIL.test(this.text[end] ?? '')) this.fail('invalid number');

    this.pos = end;
    return Number(match[0]);
  }

  private literal(word: string): boolean {
    if (!this.text.startsWith(word, this.pos)) return false;

    this.pos += word.length;
    return true;
  }

  private skipTrivia(): void {
    for (;;) {
      const char = this.text[this.pos];
      if (char === ' ' || char === '\t' || char === '\n' || char === '\r') this.pos++;
      else if (char === '/') this.skipComment();
      else return;
    }
  }

  private skipComment(): void {
    const start = this.pos;
    const kind = this.text[this.pos + 1];
    if (kind === '/') {
      const end = this.text.indexOf('\n', start);
      this.pos = end === -1 ? this.text.length : end;
      return;
    }

    if (kind !== '*') this.fail('expected "//" or "/*" to start a comment');
    const end = this.text.indexOf('*/', start + 2);
    if (end === -1) this.fail('comment "/*" is never closed', start);
    this.pos = end + 2;
  }

  private expect(char: string, reason: string): void {
    if (this.text[this.pos] !== char) this.fail(reason);
    this.pos++;
  }

  private noteDuplicate(key: string, offset: number): void {
    this.duplicates.push({ keys: [...this.keys, key], ...lineAndColumn(this.text, offset) });
  }

  private fail(reason: string, offset = this.pos): never {
    const atEnd = offset >= this.text.length;
    throw new JsoncSyntaxError(atEnd ? `${reason}, but the file ends here` : reason, offset);
  }
}
