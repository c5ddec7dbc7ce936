import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { RecordedEvent } from '#eventstore';
import { currentTokensHandles, evolveCurrentTokens, initialCurrentTokens } from './current-tokens.projection.js';

const event = (type: string, data: Record<string, unknown>): RecordedEvent =>
  ({ id: type, stream: 'membership', revision: 1, position: 1, type, schemaVersion: 1, data, metadata: { correlationId: 'c', actor: 't' }, time: '' }) as RecordedEvent;

it('has no current cluster once the init that named it is abandoned', () => {
  assert.ok((currentTokensHandles as readonly string[]).includes('SwarmInitAbandoned'));
  const started = evolveCurrentTokens(initialCurrentTokens, event('SwarmInitStarted', { clusterId: 'cluster-1' }));
  assert.equal(started.clusterId, 'cluster-1');
  assert.equal(evolveCurrentTokens(started, event('SwarmInitAbandoned', { clusterId: 'cluster-0' })).clusterId, 'cluster-1');
  assert.equal(evolveCurrentTokens(started, event('SwarmInitAbandoned', { clusterId: 'cluster-1' })).clusterId, undefined);
});
