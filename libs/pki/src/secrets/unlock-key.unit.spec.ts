import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isPkiError } from '../pki-error.js';
import { loadOrCreateKek, loadOrCreateKekFile, openSealedKek, writeKekFile } from './kek-file.js';
import { generateUnlockKey, parseUnlockKey } from './unlock-key.js';

const directory = mkdtempSync(join(tmpdir(), 'unlock-key-test-'));
after(() => rmSync(directory, { recursive: true, force: true }));

describe('unlock keys', () => {
  it('are SWMKEY-1- and 32 random bytes in unpadded standard base64 (52 characters), as the Engine prints them', () => {
    const key = generateUnlockKey();
    assert.match(key, /^SWMKEY-1-[A-Za-z0-9+/]{43}$/);
    assert.equal(parseUnlockKey(key).length, 32);
    assert.notEqual(generateUnlockKey(), key);
  });

  it('parse as swarmkit does: the prefix, then any unpadded base64 (an empty key part parses)', () => {
    assert.equal(parseUnlockKey('SWMKEY-1-').length, 0);
    assert.equal(parseUnlockKey('SWMKEY-1-QUJD').toString(), 'ABC');
    for (const bad of ['garbage', '', 'SWMKEY-2-QUJD', 'QUJDRA', 'SWMKEY-1-QUJD=', 'SWMKEY-1-QUJDR', 'SWMKEY-1-a b', 'swmkey-1-QUJD']) {
      assert.throws(() => parseUnlockKey(bad), (error) => isPkiError(error, 'UnlockKeyMalformed') && error.message === 'invalid key string', bad);
    }
  });
});

describe('a KEK file sealed under an unlock key', () => {
  it('holds neither the KEK nor the key in clear, opens with the key only, and comes back in clear', () => {
    const path = join(directory, 'kek');
    const kek = loadOrCreateKek(path);
    const key = generateUnlockKey();
    writeKekFile(path, kek, key);
    const text = readFileSync(path, 'utf8');
    assert.ok(!text.includes(kek.toString('hex')) && !text.includes(key) && !text.includes(key.slice(9)));
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const content = loadOrCreateKekFile(path);
    assert.ok(content.sealed);
    assert.deepEqual(openSealedKek(content.sealedKek, key), kek);
    assert.throws(() => loadOrCreateKek(path), (error) => isPkiError(error, 'KekLocked'));
    assert.throws(() => openSealedKek(content.sealedKek, generateUnlockKey()), (error) => isPkiError(error, 'UnlockKeyWrong'));
    assert.throws(() => openSealedKek(content.sealedKek, 'SWMKEY-1-'), (error) => isPkiError(error, 'UnlockKeyWrong'));
    assert.throws(() => openSealedKek(content.sealedKek, 'nope'), (error) => isPkiError(error, 'UnlockKeyMalformed'));
    writeKekFile(path, kek);
    assert.deepEqual(loadOrCreateKek(path), kek);
  });

  it('refuses a file that is neither a key nor a sealed key', () => {
    const path = join(directory, 'odd');
    writeKekFile(path, randomBytes(32), generateUnlockKey());
    const sealed = readFileSync(path, 'utf8');
    writeKekFile(path, randomBytes(32));
    rmSync(path);
    writeFileSync(path, sealed.replace('A256GCM', 'none'), { mode: 0o600 });
    assert.throws(() => loadOrCreateKekFile(path), (error) => isPkiError(error, 'KekFileInvalid'));
  });
});
