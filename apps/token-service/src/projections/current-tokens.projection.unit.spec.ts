import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Recorded } from '#eventstore';
import { swarmInitStartedData } from '#testing';
import { currentTokensHandles, evolveCurrentTokens, initialCurrentTokens, type CurrentTokensEvent } from './current-tokens.projection.js';

const envelope = { id: 'e', stream: 'membership', revision: 1, position: 1, schemaVersion: 1, metadata: { correlationId: 'c', actor: 't' }, time: '' };
const abandoned = (clusterId: string): Recorded<CurrentTokensEvent> => ({
  ...envelope,
  type: 'SwarmInitAbandoned',
  data: { initId: 'i', clusterId, nodeId: 'n', reason: { code: 'x', kind: 'InvalidParameter', message: 'm' } },
});

it('has no current cluster once the init that named it is abandoned', () => {
  assert.ok(currentTokensHandles.has('SwarmInitAbandoned'));
  const data = swarmInitStartedData({ clusterId: 'cluster-1' });
  const started = evolveCurrentTokens(initialCurrentTokens, { ...envelope, type: 'SwarmInitStarted', data });
  assert.equal(started.clusterId, 'cluster-1');
  assert.equal(evolveCurrentTokens(started, abandoned('cluster-0')).clusterId, 'cluster-1');
  assert.equal(evolveCurrentTokens(started, abandoned('cluster-1')).clusterId, undefined);
});
