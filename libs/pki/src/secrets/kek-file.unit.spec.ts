import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isPkiError } from '../pki-error.js';
import { loadOrCreateKek } from './kek-file.js';

const directory = mkdtempSync(join(tmpdir(), 'kek-test-'));
after(() => rmSync(directory, { recursive: true, force: true }));
const kekFileInvalid = (error: unknown): boolean => isPkiError(error, 'KekFileInvalid');

function keyFile(name: string, content: string, mode = 0o600): string {
  const path = join(directory, name);
  writeFileSync(path, content, { mode });
  chmodSync(path, mode);
  return path;
}

describe('loadOrCreateKek', () => {
  it('creates a missing file, and its parents, holding 64 hex characters with mode 0600', () => {
    const path = join(directory, 'nested', 'deeper', 'kek');
    const kek = loadOrCreateKek(path);
    assert.equal(kek.length, 32);
    assert.equal(readFileSync(path, 'utf8'), kek.toString('hex'));
    if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o600);
  });

  it('returns the same key on the next load', () => {
    const path = join(directory, 'stable');
    assert.deepEqual(loadOrCreateKek(path), loadOrCreateKek(path));
  });

  it('reads an existing key, tolerating one trailing newline', () => {
    const hex = 'ab'.repeat(32);
    assert.equal(loadOrCreateKek(keyFile('plain', hex)).toString('hex'), hex);
    assert.equal(loadOrCreateKek(keyFile('newline', `${hex}\n`)).toString('hex'), hex);
  });

  it('refuses a file of the wrong length or with non-hex content', () => {
    assert.throws(() => loadOrCreateKek(keyFile('short', 'ab'.repeat(16))), kekFileInvalid);
    assert.throws(() => loadOrCreateKek(keyFile('long', 'ab'.repeat(33))), kekFileInvalid);
    assert.throws(() => loadOrCreateKek(keyFile('nothex', 'zz'.repeat(32))), kekFileInvalid);
    assert.throws(() => loadOrCreateKek(keyFile('empty', '')), kekFileInvalid);
  });

  it('refuses a file that group or others may access', { skip: process.platform === 'win32' }, () => {
    const hex = 'cd'.repeat(32);
    assert.throws(() => loadOrCreateKek(keyFile('group-readable', hex, 0o640)), (error: unknown) => {
      return kekFileInvalid(error) && /mode 0640; run chmod 600/.test((error as Error).message);
    });
    assert.throws(() => loadOrCreateKek(keyFile('world-readable', hex, 0o604)), kekFileInvalid);
    assert.equal(loadOrCreateKek(keyFile('owner-only', hex, 0o400)).toString('hex'), hex);
  });
});
