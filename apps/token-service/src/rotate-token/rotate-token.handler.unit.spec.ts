import { KekHolder } from '#service-host';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Streams } from '#contracts';
import { caDigestBase36 } from '#domain';
import { givenEvents, testKek, thenEvents } from '#testing';
import { IssueTokensHandler } from '../issue-tokens/issue-tokens.handler.js';
import { RotateTokenHandler } from './rotate-token.handler.js';

const context = { correlationId: 'spec', actor: 'service:spec' };
const stream = Streams.joinTokens('cluster-1');

async function givenIssued() {
  const store = await givenEvents();
  const kek = testKek();
  await new IssueTokensHandler(store, KekHolder.fixed(kek)).issue({ context, clusterId: 'cluster-1', caDigest: caDigestBase36('a root CA') });
  return { store, handler: new RotateTokenHandler(store, KekHolder.fixed(kek)) };
}

describe('rotate join token', () => {
  it('gives the role a new secret, caused by the swarm update that asked', async () => {
    const { store, handler } = await givenIssued();
    const reply = await handler.rotate({ context, clusterId: 'cluster-1', roles: ['worker'], causationEventId: 'update-1' });
    const [, rotated, ...more] = await thenEvents(store, stream);
    assert.equal(more.length, 0);
    assert.ok(rotated?.type === 'JoinTokenRotated');
    assert.equal(rotated.data.role, 'worker');
    assert.equal(rotated.metadata.causationId, 'update-1');
    assert.equal(reply.position, rotated.position);
  });

  it('rotates once per cause: the same request again records nothing', async () => {
    const { store, handler } = await givenIssued();
    const request = { context, clusterId: 'cluster-1', roles: ['worker', 'manager'] as const, causationEventId: 'update-2' };
    await handler.rotate(request);
    await handler.rotate(request);
    assert.deepEqual((await thenEvents(store, stream)).map((e) => e.type), ['JoinTokensIssued', 'JoinTokenRotated', 'JoinTokenRotated']);
  });

  it('records nothing for a cluster whose tokens were never issued', async () => {
    const store = await givenEvents();
    const reply = await new RotateTokenHandler(store, KekHolder.fixed(testKek())).rotate({ context, clusterId: 'cluster-1', roles: ['manager'], causationEventId: 'u' });
    assert.deepEqual(await thenEvents(store, stream), []);
    assert.equal(reply.position, 0);
  });
});
