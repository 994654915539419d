import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../../src/log/logger.ts';
import { LogCapture } from '../../helpers/proxy-harness.ts';

describe('the logger', () => {
  it('censors credentials that a careless log call might pass', () => {
    const logs = new LogCapture();
    const log = createLogger({ format: 'json', level: 'info', destination: logs });
    log.info({
      authorization: 'Bearer leak-1',
      clientSecret: 'leak-2',
      headers: { authorization: 'Basic leak-3', accept: '*/*' },
      req: { headers: { cookie: 'leak-4' } },
      config: { clientSecret: 'leak-5' },
      token: { value: 'leak-6' },
      server: 'kept',
    });

    assert.equal(logs.entries[0]?.['server'], 'kept');
    assert.doesNotMatch(logs.all, /leak-/);
  });

  it('writes one readable line per record in the text format', () => {
    const logs = new LogCapture();
    createLogger({ format: 'text', level: 'info', destination: logs }).info(
      { port: 8089 },
      'listening',
    );

    assert.match(logs.all, /INFO: listening.*"port":8089/);
    assert.equal(logs.all.trim().split('\n').length, 1);
  });
});
