import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiVersionError, stripApiVersion } from './api-version.js';

describe('the /vX.Y prefix', () => {
  it('is stripped only when it is /v, digits and dots, then / or the end', () => {
    const cases: [string, string][] = [
      ['/v1.41/swarm', '/swarm'],
      ['/v1.41/swarm/update?version=5', '/swarm/update?version=5'],
      ['/v1.41', '/'],
      ['/v1.41/', '/'],
      ['/swarm', '/swarm'],
      ['/v1.41?x=1', '/v1.41?x=1'],
      ['/v/swarm', '/v/swarm'],
      ['/va/swarm', '/va/swarm'],
      ['/version', '/version'],
      ['/v1.4a/swarm', '/v1.4a/swarm'],
    ];
    for (const [url, stripped] of cases) assert.equal(stripApiVersion(url), stripped, url);
  });

  it('answers a version outside 1.24-1.47 as the Engine does, the same each time it is asked', () => {
    for (let round = 0; round < 2; round++) {
      assert.equal(apiVersionError('/v1.41/swarm'), undefined);
      assert.equal(apiVersionError('/swarm'), undefined);
      assert.deepEqual(apiVersionError('/v1.11/swarm?x=1'), {
        status: 400,
        json: false,
        message: 'client version 1.11 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version',
      });
      assert.deepEqual(apiVersionError('/v1.99'), { status: 400, json: true, message: 'client version 1.99 is too new. Maximum supported API version is 1.47' });
    }
  });
});
