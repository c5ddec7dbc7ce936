import { KekHolder } from '#service-host';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DomainError, Streams } from '#contracts';
import { caDigestBase36, formatJoinToken } from '#domain';
import type { InMemoryEventStore } from '#eventstore';
import { openSecret } from '#pki';
import { givenEvents, swarmInitStartedData, testKek, thenEvents } from '#testing';
import { IssueTokensHandler } from '../issue-tokens/issue-tokens.handler.js';
import { RotateTokenHandler } from '../rotate-token/rotate-token.handler.js';
import { ValidateTokenHandler } from './validate-token.handler.js';

const context = { correlationId: 'spec', actor: 'service:spec' };
const caDigest = caDigestBase36('a root CA');
const stream = Streams.joinTokens('cluster-1');
const rejected = (e: unknown) => e instanceof DomainError && e.code === 'JoinTokenRejected';

describe('validate join token', () => {
  const kek = testKek();
  let store: InMemoryEventStore;
  let handler: ValidateTokenHandler;
  let tokens: { worker: string; manager: string };
  before(async () => {
    store = await givenEvents({ [Streams.membership()]: [{ type: 'SwarmInitStarted', data: swarmInitStartedData({ clusterId: 'cluster-1' }) }] });
    await new IssueTokensHandler(store, KekHolder.fixed(kek)).issue({ context, clusterId: 'cluster-1', caDigest });
    const [issued] = await thenEvents(store, stream);
    assert.ok(issued?.type === 'JoinTokensIssued');
    const open = (sealed: typeof issued.data.worker) => formatJoinToken(caDigest, openSecret(sealed, kek, stream));
    tokens = { worker: open(issued.data.worker), manager: open(issued.data.manager) };
    handler = new ValidateTokenHandler(store, KekHolder.fixed(kek));
    await handler.onModuleInit();
  });
  after(() => store.close());

  it('grants the role of the token, for the cluster this manager serves', async () => {
    assert.deepEqual(await handler.validate({ token: tokens.manager }), { role: 'manager', clusterId: 'cluster-1' });
    assert.deepEqual(await handler.validate({ token: tokens.worker }), { role: 'worker', clusterId: 'cluster-1' });
  });

  it('refuses a token that is not one, and a well-formed token with another secret', async () => {
    await assert.rejects(handler.validate({ token: 'not-a-token' }), (e: unknown) => e instanceof DomainError && e.code === 'InvalidJoinToken');
    await assert.rejects(handler.validate({ token: formatJoinToken(caDigest, '0'.repeat(25)) }), rejected);
  });

  it('refuses the old token at once after a rotation, and takes the new one', async () => {
    await new RotateTokenHandler(store, KekHolder.fixed(kek)).rotate({ context, clusterId: 'cluster-1', roles: ['worker'], causationEventId: 'update-1' });
    await assert.rejects(handler.validate({ token: tokens.worker }), rejected);
    const rotated = (await thenEvents(store, stream)).at(-1);
    assert.ok(rotated?.type === 'JoinTokenRotated');
    const fresh = formatJoinToken(caDigest, openSecret(rotated.data.secret, kek, stream));
    assert.deepEqual(await handler.validate({ token: fresh }), { role: 'worker', clusterId: 'cluster-1' });
    assert.deepEqual(await handler.validate({ token: tokens.manager }), { role: 'manager', clusterId: 'cluster-1' });
  });
});
