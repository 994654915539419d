import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBearerChallenge } from '../../../src/proxy/challenge.ts';

describe('parseBearerChallenge', () => {
  it('reads error and description, quoted or not, with escapes', () => {
    const header =
      'Bearer realm="https://accounts.google.com/", error=invalid_token, ' +
      'error_description="Invalid token issuer. Expected \\"https://127.0.0.1:8443/realms/imaging\\""';

    assert.deepEqual(parseBearerChallenge(header), {
      error: 'invalid_token',
      description: 'Invalid token issuer. Expected "https://127.0.0.1:8443/realms/imaging"',
    });
  });

  it('gives nothing for a bare challenge or none at all', () => {
    assert.deepEqual(parseBearerChallenge('Bearer'), { error: undefined, description: undefined });
    assert.deepEqual(parseBearerChallenge(undefined), {});
  });
});
