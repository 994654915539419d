import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closestKey, editDistance } from '../../../src/config/suggest.ts';

describe('closestKey', () => {
  const known = ['Url', 'ClientSecret', 'ClientSecretFile', 'TokenEndpoint', 'Scope'];

  it('suggests the known key a typo or a case slip came from', () => {
    assert.equal(closestKey('ClientSecert', known), 'ClientSecret');
    assert.equal(closestKey('url', known), 'Url');
    assert.equal(closestKey('TokenEndPoint', known), 'TokenEndpoint');
    assert.equal(closestKey('Scopes', known), 'Scope');
  });

  it('suggests nothing for a key unlike every known one', () => {
    assert.equal(closestKey('Foo', known), undefined);
    assert.equal(closestKey('HttpHeaders', known), undefined);
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('same', 'same'), 0);
  });
});
