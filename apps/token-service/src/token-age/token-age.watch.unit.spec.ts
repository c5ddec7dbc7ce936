import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Streams } from '#contracts';
import { caDigestBase36 } from '#domain';
import { KekHolder } from '#service-host';
import { givenEvents, swarmInitStartedData, testKek, thenEvents } from '#testing';
import { IssueTokensHandler } from '../issue-tokens/issue-tokens.handler.js';
import { RotateTokenHandler } from '../rotate-token/rotate-token.handler.js';
import { TokenAgeWatch } from './token-age.watch.js';

const CLUSTER = 'cluster-1';
const stream = Streams.joinTokens(CLUSTER);
const context = { correlationId: 'spec', actor: 'service:spec' };
const DAY = 24 * 3600 * 1000;
const MAX_AGE = 180 * DAY;

/** An active swarm whose tokens were issued just now, and a watch whose clock the spec moves. */
async function given(autoRotate = false) {
  const init = swarmInitStartedData({ clusterId: CLUSTER });
  const store = await givenEvents({
    [Streams.membership()]: [
      { type: 'SwarmInitStarted', data: init },
      { type: 'SwarmInitCompleted', data: { initId: init.initId, clusterId: CLUSTER, nodeId: init.nodeId } },
    ],
  });
  const kek = KekHolder.fixed(testKek());
  await new IssueTokensHandler(store, kek).issue({ context, clusterId: CLUSTER, caDigest: caDigestBase36('a root CA') });
  const issuedAt = Date.parse((await thenEvents(store, stream))[0]!.time);
  const clock = { offset: 0 };
  const watch = new TokenAgeWatch(store, kek, () => issuedAt + clock.offset, { maxAgeMs: MAX_AGE, autoRotate });
  return { store, kek, watch, clock, issuedAt };
}

describe('join token age (SWARM_TOKEN_MAX_AGE), under an injected clock', () => {
  it('records nothing before the age, and names the moment it is due', async () => {
    const { store, watch, clock, issuedAt } = await given();
    clock.offset = MAX_AGE - 1;
    assert.equal(await watch.check(), issuedAt + MAX_AGE);
    assert.deepEqual((await thenEvents(store, stream)).map((e) => e.type), ['JoinTokensIssued']);
  });

  it('at the age: one JoinTokenAgeExceeded per token, once, with the token fingerprint and when it was issued', async () => {
    const { store, watch, clock, issuedAt } = await given();
    clock.offset = MAX_AGE;
    assert.equal(await watch.check(), undefined, 'nothing left to mark');
    await watch.check();
    const events = await thenEvents(store, stream);
    const issued = events[0];
    assert.ok(issued?.type === 'JoinTokensIssued');
    assert.deepEqual(
      events.slice(1).map((e) => (e.type === 'JoinTokenAgeExceeded' ? e.data : e.type)),
      [
        { clusterId: CLUSTER, role: 'worker', fingerprint: issued.data.workerFingerprint, issuedAt: new Date(issuedAt).toISOString().replace('Z', ''), maxAgeSeconds: MAX_AGE / 1000, autoRotate: false },
        { clusterId: CLUSTER, role: 'manager', fingerprint: issued.data.managerFingerprint, issuedAt: new Date(issuedAt).toISOString().replace('Z', ''), maxAgeSeconds: MAX_AGE / 1000, autoRotate: false },
      ].map((d) => ({ ...d, issuedAt: issued.time })),
    );
  });

  it('a token rotated by hand is young again: due a full age after its rotation', async () => {
    const { store, kek, watch, clock } = await given();
    clock.offset = 100 * DAY;
    // The store stamps events with the real time: the rotation must fall after the issue's millisecond.
    await new Promise((resolve) => setTimeout(resolve, 2));
    await new RotateTokenHandler(store, kek).rotate({ context, clusterId: CLUSTER, roles: ['worker'], causationEventId: 'update-1' });
    const rotatedAt = Date.parse((await thenEvents(store, stream)).at(-1)!.time);
    clock.offset = MAX_AGE;
    assert.equal(await watch.check(), rotatedAt + MAX_AGE, 'the rotated worker token is due later');
    assert.deepEqual((await thenEvents(store, stream)).map((e) => (e.type === 'JoinTokenAgeExceeded' ? `aged ${e.data.role}` : e.type)), ['JoinTokensIssued', 'JoinTokenRotated', 'aged manager']);
  });

  it('with SWARM_TOKEN_AUTO_ROTATE: each token is marked and rotated in one append, and due again a full age later', async () => {
    const { store, watch, clock, issuedAt } = await given(true);
    clock.offset = MAX_AGE + 5;
    const next = await watch.check();
    const events = await thenEvents(store, stream);
    assert.deepEqual(events.map((e) => (e.type === 'JoinTokensIssued' ? e.type : `${e.type} ${(e.data as { role: string }).role}`)), [
      'JoinTokensIssued', 'JoinTokenAgeExceeded worker', 'JoinTokenRotated worker', 'JoinTokenAgeExceeded manager', 'JoinTokenRotated manager',
    ]);
    const issued = events[0];
    const rotated = events.filter((e) => e.type === 'JoinTokenRotated');
    assert.ok(issued?.type === 'JoinTokensIssued');
    assert.ok(rotated.every((e) => e.type === 'JoinTokenRotated' && e.data.fingerprint !== issued.data.workerFingerprint && e.data.fingerprint !== issued.data.managerFingerprint));
    assert.equal(next, Date.parse(rotated[0]!.time) + MAX_AGE);
    // (the rotation may fall in the same millisecond as the issue: not earlier)
    assert.ok(next >= issuedAt + MAX_AGE);
    // The store stamps events with the real time: back to it, the new tokens are young.
    clock.offset = Date.now() - issuedAt;
    await watch.check();
    assert.equal((await thenEvents(store, stream)).length, 5, 'nothing more until the new tokens age');
  });

  it('does nothing without an active swarm', async () => {
    const store = await givenEvents();
    const watch = new TokenAgeWatch(store, KekHolder.fixed(testKek()), () => Date.now() + MAX_AGE * 2, { maxAgeMs: MAX_AGE, autoRotate: true });
    assert.equal(await watch.check(), undefined);
  });
});
