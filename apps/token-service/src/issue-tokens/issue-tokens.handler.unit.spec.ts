import { KekHolder } from '#service-host';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Streams } from '#contracts';
import { caDigestBase36 } from '#domain';
import { givenEvents, testKek, thenEvents } from '#testing';
import { IssueTokensHandler } from './issue-tokens.handler.js';

const context = { correlationId: 'spec', actor: 'service:spec' };
const caDigest = caDigestBase36('a root CA');
const stream = Streams.joinTokens('cluster-1');

describe('issue join tokens', () => {
  it('given none, records both secrets sealed, with their fingerprints and the CA digest', async () => {
    const store = await givenEvents();
    const reply = await new IssueTokensHandler(store, KekHolder.fixed(testKek())).issue({ context, clusterId: 'cluster-1', caDigest });
    const [issued, ...more] = await thenEvents(store, stream);
    assert.equal(more.length, 0);
    assert.ok(issued?.type === 'JoinTokensIssued');
    assert.equal(issued.data.caDigest, caDigest);
    assert.notEqual(issued.data.worker.ct, issued.data.manager.ct);
    assert.ok(issued.data.workerFingerprint && issued.data.managerFingerprint);
    assert.equal(reply.position, issued.position);
  });

  it('given tokens, issues none again (a retried init) and answers where they are', async () => {
    const store = await givenEvents();
    const handler = new IssueTokensHandler(store, KekHolder.fixed(testKek()));
    const first = await handler.issue({ context, clusterId: 'cluster-1', caDigest });
    const again = await handler.issue({ context, clusterId: 'cluster-1', caDigest });
    assert.equal(again.position, first.position);
    assert.equal((await thenEvents(store, stream)).length, 1);
  });
});
