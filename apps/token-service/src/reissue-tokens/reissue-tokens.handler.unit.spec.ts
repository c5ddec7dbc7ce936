import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Streams } from '#contracts';
import { caDigestBase36 } from '#domain';
import { givenEvents, testKek, thenEvents } from '#testing';
import { IssueTokensHandler } from '../issue-tokens/issue-tokens.handler.js';
import { ReissueTokensHandler } from './reissue-tokens.handler.js';
import { KekHolder } from '#service-host';

const context = { correlationId: 'spec', actor: 'service:spec' };
const stream = Streams.joinTokens('cluster-1');
const oldDigest = caDigestBase36('the old root');
const newDigest = caDigestBase36('the new root');

describe('reissue join tokens after a root rotation', () => {
  it('makes both tokens anew (the new digest, new secrets, sealed), once per digest', async () => {
    const store = await givenEvents();
    const kek = KekHolder.fixed(testKek());
    await new IssueTokensHandler(store, kek).issue({ context, clusterId: 'cluster-1', caDigest: oldDigest });
    const handler = new ReissueTokensHandler(store, kek);
    await handler.reissue({ context, clusterId: 'cluster-1', rotationId: 'r1', caDigest: newDigest });
    await handler.reissue({ context, clusterId: 'cluster-1', rotationId: 'r1', caDigest: newDigest });
    const events = await thenEvents(store, stream);
    assert.deepEqual(events.map((e) => e.type), ['JoinTokensIssued', 'JoinTokensReissued']);
    const [issued, reissued] = events;
    assert.ok(issued?.type === 'JoinTokensIssued' && reissued?.type === 'JoinTokensReissued');
    assert.equal(reissued.data.caDigest, newDigest);
    assert.notEqual(reissued.data.workerFingerprint, issued.data.workerFingerprint);
    assert.notEqual(reissued.data.managerFingerprint, issued.data.managerFingerprint);
    assert.ok(!JSON.stringify(reissued.data).includes('SWMTKN-1-'), 'secrets sealed');
  });
});
