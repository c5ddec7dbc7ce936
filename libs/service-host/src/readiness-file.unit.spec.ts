import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Subject } from 'rxjs';
import { clearReadiness, publishReadiness } from './readiness-file.js';

describe('publishReadiness', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'readiness-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the PID in the file only while the NATS connection is up, and removes it on stop', () => {
    const file = path.join(dir, 'ready');
    const status = new Subject<string>();
    const readiness = publishReadiness(file, status);
    assert.equal(existsSync(file), false, 'no file before the first status');

    status.next('connected');
    assert.equal(readFileSync(file, 'utf8'), `${process.pid}\n`);
    status.next('disconnected');
    assert.equal(existsSync(file), false);
    status.next('reconnecting');
    assert.equal(existsSync(file), false);
    status.next('connected');
    assert.equal(existsSync(file), true);

    readiness.stop();
    assert.equal(existsSync(file), false);
    status.next('connected');
    assert.equal(existsSync(file), false, 'a stopped tracker writes nothing');
  });

  it('clears a file left by an earlier run (same PID 1 in a restarted container), and tolerates none', () => {
    const file = path.join(dir, 'stale');
    writeFileSync(file, '1\n');
    clearReadiness(file);
    assert.equal(existsSync(file), false);
    clearReadiness(file);
  });
});
