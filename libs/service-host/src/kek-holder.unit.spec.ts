import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DomainError } from '#contracts';
import { generateUnlockKey, loadOrCreateKek } from '#pki';
import { KekHolder } from './kek-holder.js';
import { tokenAgePolicy, describeAge, DEFAULT_TOKEN_MAX_AGE_MS } from './token-age-policy.js';

const directory = mkdtempSync(join(tmpdir(), 'kek-holder-test-'));
after(() => rmSync(directory, { recursive: true, force: true }));
const code = (expected: string) => (error: unknown): boolean => error instanceof DomainError && error.code === expected;

describe('KekHolder', () => {
  it('a process that starts on a sealed file is locked until given the right key; reseal and unseal keep the key in memory', () => {
    const path = join(directory, 'kek');
    const kek = loadOrCreateKek(path);
    const first = KekHolder.fromFile(path);
    assert.equal(first.locked, false);
    const key = generateUnlockKey();
    first.seal(key);
    assert.deepEqual(first.current(), kek, 'no downtime: the key in memory is unchanged');

    const restarted = KekHolder.fromFile(path);
    assert.equal(restarted.locked, true);
    assert.throws(() => restarted.current(), code('SwarmLocked'));
    assert.throws(() => restarted.unlock('garbage'), code('InvalidKeyString'));
    assert.throws(() => restarted.unlock(generateUnlockKey()), code('InvalidUnlockKey'));
    let unlocked = 0;
    restarted.onUnlock(() => unlocked++);
    assert.equal(restarted.unlock(key), 'unlocked');
    assert.equal(restarted.unlock(key), 'not-locked');
    assert.equal(unlocked, 1);
    assert.deepEqual(restarted.current(), kek);

    const rotated = generateUnlockKey();
    restarted.seal(rotated);
    assert.throws(() => KekHolder.fromFile(path).unlock(key), code('InvalidUnlockKey'));
    restarted.seal(undefined);
    assert.equal(KekHolder.fromFile(path).locked, false);
  });

  it('a key from SWARM_KEK is never locked and cannot be sealed', () => {
    const holder = KekHolder.fixed(Buffer.alloc(32, 1));
    assert.equal(holder.locked, false);
    assert.match(holder.whyNotSealable() ?? '', /SWARM_KEK/);
    assert.equal(KekHolder.fromFile(join(directory, 'other')).whyNotSealable(), undefined);
  });

  it('a key file in a folder it cannot write (compose\'s read-only secret) cannot be sealed either', { skip: process.getuid?.() === 0 ? 'root may write anywhere' : false }, () => {
    const folder = join(directory, 'read-only');
    mkdirSync(folder);
    loadOrCreateKek(join(folder, 'kek'));
    chmodSync(folder, 0o500);
    try {
      assert.match(KekHolder.fromFile(join(folder, 'kek')).whyNotSealable() ?? '', /is not writable/);
    } finally {
      chmodSync(folder, 0o700);
    }
  });
});

describe('tokenAgePolicy', () => {
  it('defaults to 180 days without rotation, and reads Go durations or days', () => {
    assert.deepEqual(tokenAgePolicy({}), { maxAgeMs: DEFAULT_TOKEN_MAX_AGE_MS, autoRotate: false });
    assert.equal(tokenAgePolicy({ SWARM_TOKEN_MAX_AGE: '90d' }).maxAgeMs, 90 * 86_400_000);
    assert.equal(tokenAgePolicy({ SWARM_TOKEN_MAX_AGE: '1h30m' }).maxAgeMs, 5_400_000);
    assert.equal(tokenAgePolicy({ SWARM_TOKEN_MAX_AGE: '1ms' }).maxAgeMs, 1);
    assert.equal(tokenAgePolicy({ SWARM_TOKEN_MAX_AGE: '2h', SWARM_TOKEN_AUTO_ROTATE: 'true' }).autoRotate, true);
  });

  it('refuses what it cannot read, and auto-rotation under a minute', () => {
    for (const text of ['180', 'forever', '-1h', '0s', '1y']) assert.throws(() => tokenAgePolicy({ SWARM_TOKEN_MAX_AGE: text }), /SWARM_TOKEN_MAX_AGE/, text);
    assert.throws(() => tokenAgePolicy({ SWARM_TOKEN_AUTO_ROTATE: 'maybe' }), /SWARM_TOKEN_AUTO_ROTATE/);
    assert.throws(() => tokenAgePolicy({ SWARM_TOKEN_MAX_AGE: '30s', SWARM_TOKEN_AUTO_ROTATE: 'true' }), /at least 1m/);
  });

  it('names an age in words', () => {
    assert.deepEqual([describeAge(DEFAULT_TOKEN_MAX_AGE_MS), describeAge(3_600_000), describeAge(90_000), describeAge(1)], ['180 days', '1 hour', '90 seconds', '1 ms']);
  });
});
