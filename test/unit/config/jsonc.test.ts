import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lineAndColumn, parseJsonc } from '../../../src/config/jsonc.ts';

function parsed(text: string): unknown {
  const result = parseJsonc(text);
  if (!result.ok) assert.fail(`unexpected syntax error: ${result.reason}`);

  return result.value;
}

function failure(text: string): { reason: string; line: number; column: number } {
  const result = parseJsonc(text);
  if (result.ok) assert.fail('expected a syntax error');

  return { reason: result.reason, line: result.line, column: result.column };
}

describe('parseJsonc', () => {
  it('parses plain JSON like JSON.parse', () => {
    const text = '{"a": [1, -2.5e3, true, false, null], "b": {"c": "d\\n\\u00e9"}}';

    assert.deepEqual(parsed(text), JSON.parse(text));
  });

  it('skips line comments and block comments', () => {
    const text = [
      '// heading comment',
      '{',
      '  "a": 1, // after a value',
      '  /* before a key */ "b": /* inline */ 2',
      '  /* a block',
      '     over lines */',
      '}',
      '// trailing comment without newline',
    ].join('\n');

    assert.deepEqual(parsed(text), { a: 1, b: 2 });
  });

  it('keeps comment markers that are inside string values', () => {
    const value = parsed('{"url": "https://a.example/x", "c": "/* not a comment */"}');

    assert.deepEqual(value, { url: 'https://a.example/x', c: '/* not a comment */' });
  });

  it('keeps an escaped quote followed by // inside a string', () => {
    assert.deepEqual(parsed('{"a": "say \\"hi\\" // still text"}'), {
      a: 'say "hi" // still text',
    });
  });

  it('accepts trailing commas the way Orthanc does', () => {
    assert.deepEqual(parsed('{"a": [1, 2,], "b": 3,}'), { a: [1, 2], b: 3 });
  });

  it('accepts a byte order mark and CRLF line ends', () => {
    assert.deepEqual(parsed('\uFEFF{\r\n"a": 1\r\n}\r\n'), { a: 1 });
  });

  it('keeps a key named __proto__ as a plain key', () => {
    const value = parsed('{"__proto__": {"polluted": true}}') as Record<string, unknown>;

    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(Object.keys(value), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('records a repeated key with its line and keeps the last value', () => {
    const result = parseJsonc('{"a": {"b": 1,\n "b": 2}}');

    assert.equal(result.ok, true);
    assert.deepEqual(result.ok && result.value, { a: { b: 2 } });
    assert.deepEqual(result.ok && result.duplicates, [{ keys: ['a', 'b'], line: 2, column: 2 }]);
  });

  it('reports the line and column of a missing comma', () => {
    assert.deepEqual(failure('{\n  "a": 1\n  "b": 2\n}'), {
      reason: 'expected "," or "}" after a value in an object',
      line: 3,
      column: 3,
    });
  });

  it('reports an unterminated string at its opening quote', () => {
    assert.deepEqual(failure('{"a": "abc\n}'), {
      reason: 'string not closed before the end of the line',
      line: 1,
      column: 7,
    });
  });

  it('reports an unclosed block comment where it starts', () => {
    assert.deepEqual(failure('{"a": 1 /* open\n\n'), {
      reason: 'comment "/*" is never closed',
      line: 1,
      column: 9,
    });
  });

  it('reports a file that ends too early', () => {
    const error = failure('{"a": [1, 2');

    assert.equal(
      error.reason,
      'expected "," or "]" after a value in an array, but the file ends here',
    );
    assert.deepEqual([error.line, error.column], [1, 12]);
  });

  it('reports an empty file', () => {
    assert.match(failure('  // only a comment\n').reason, /^expected a value .*file ends here$/);
  });

  it('tells to quote an unquoted ${VAR}', () => {
    const error = failure('{"a": ${PORT}}');

    assert.equal(error.reason, 'expected a value; write ${VAR} inside double quotes');
    assert.equal(error.column, 7);
  });

  it('refuses single quotes, bad escapes, bad numbers and text after the document', () => {
    assert.equal(failure("{'a': 1}").reason, 'expected a key in double quotes, or "}"');
    assert.equal(failure('{"a": "\\x"}').reason, 'invalid escape in a string');
    assert.equal(
      failure('{"a": "\\u12"}').reason,
      '\\u must be followed by four hexadecimal digits',
    );
    assert.equal(failure('{"a": 01}').reason, 'invalid number');
    assert.equal(failure('{"a": 1.}').reason, 'invalid number');
    assert.equal(failure('{} {}').reason, 'unexpected text after the end of the document');
    assert.equal(failure('{"a": 1 / 2}').reason, 'expected "//" or "/*" to start a comment');
  });

  it('refuses a raw tab inside a string', () => {
    assert.equal(
      failure('{"a": "x\ty"}').reason,
      'control character inside a string; write it as an escape',
    );
  });

  it('never quotes the text around an error, which may be a secret', () => {
    const error = failure('{"ClientSecret": s3cr3t-value}');

    assert.doesNotMatch(error.reason, /s3cr3t/);
  });

  it('refuses nesting deep enough to exhaust the stack', () => {
    const deep = '['.repeat(100_000);

    assert.equal(failure(deep).reason, 'nested more than 256 levels deep');
  });
});

describe('lineAndColumn', () => {
  it('counts lines and columns from 1', () => {
    assert.deepEqual(lineAndColumn('ab\ncd\nef', 0), { line: 1, column: 1 });
    assert.deepEqual(lineAndColumn('ab\ncd\nef', 4), { line: 2, column: 2 });
    assert.deepEqual(lineAndColumn('ab\ncd\nef', 6), { line: 3, column: 1 });
  });
});
