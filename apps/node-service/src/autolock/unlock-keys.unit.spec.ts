import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Streams } from '#contracts';
import { loadOrCreateKek, loadOrCreateKekFile, openSealedKek, openSecret } from '#pki';
import { KekHolder } from '#service-host';
import { givenEvents } from '#testing';
import { activeSwarm, CLUSTER } from '../projections/nodes.test-helper.js';
import { UnlockKeys } from './unlock-keys.js';

const directory = mkdtempSync(join(tmpdir(), 'unlock-keys-test-'));
after(() => rmSync(directory, { recursive: true, force: true }));

describe('UnlockKeys', () => {
  it('puts a key file left in clear behind the log (a crash after UnlockKeyIssued) in step at start, and back in clear once the key is removed', async () => {
    const path = join(directory, 'kek');
    const kek = loadOrCreateKek(path);
    const holder = KekHolder.fromFile(path);
    const store = await givenEvents(activeSwarm());
    const keys = new UnlockKeys(store, holder);
    const candidate = keys.candidate(CLUSTER, '2026-01-01T00:00:00.000Z');
    const unlockKey = openSecret(candidate.sealedKey, kek, Streams.cluster(CLUSTER));
    assert.match(unlockKey, /^SWMKEY-1-[A-Za-z0-9+/]{43}$/);
    await store.append(Streams.cluster(CLUSTER), [{ id: 'k1', type: 'UnlockKeyIssued', schemaVersion: 1, data: candidate, metadata: { correlationId: 'spec', actor: 'test' } }], 'any');
    assert.equal(loadOrCreateKekFile(path).sealed, false, 'the crash: the file is still in clear');
    await keys.syncCurrentCluster();
    const sealed = loadOrCreateKekFile(path);
    assert.ok(sealed.sealed);
    assert.deepEqual(openSealedKek(sealed.sealedKek, unlockKey), kek);
    await store.append(Streams.cluster(CLUSTER), [{ id: 'k2', type: 'UnlockKeyRemoved', schemaVersion: 1, data: { clusterId: CLUSTER }, metadata: { correlationId: 'spec', actor: 'test' } }], 'any');
    await keys.syncKekFile(CLUSTER);
    assert.deepEqual(loadOrCreateKek(path), kek);
  });

  it('refuses autolock for a key from SWARM_KEK, with a text that says why', async () => {
    const keys = new UnlockKeys(await givenEvents(), KekHolder.fixed(Buffer.alloc(32, 3)));
    assert.throws(() => keys.checkSealable(true), /autolock is not available: .*SWARM_KEK/);
    keys.checkSealable(false);
  });
});
