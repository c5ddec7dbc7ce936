import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FreshRead } from './fresh-read.js';

/** A read whose answers are released by hand; each answer is the read's number (1, 2, ...). */
function manualReads(): { read: () => Promise<number>; started: () => number; finish: (error?: Error) => void } {
  let started = 0;
  const pending: { resolve: (n: number) => void; reject: (e: Error) => void; n: number }[] = [];
  return {
    read: () =>
      new Promise<number>((resolve, reject) => {
        started++;
        pending.push({ resolve, reject, n: started });
      }),
    started: () => started,
    finish: (error) => {
      const p = pending.shift();
      if (!p) throw new Error('no read in flight');
      if (error) p.reject(error);
      else p.resolve(p.n);
    },
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('FreshRead', () => {
  it('answers callers that came during a read with the next read, started after it, one for all of them', async () => {
    const reads = manualReads();
    const fresh = new FreshRead(reads.read);
    const first = fresh.get();
    const during = [fresh.get(), fresh.get(), fresh.get()];
    assert.equal(reads.started(), 1, 'one read in flight at a time');
    reads.finish();
    assert.equal(await first, 1);
    await tick();
    assert.equal(reads.started(), 2, 'the next read starts when the first one ends');
    reads.finish();
    assert.deepEqual(await Promise.all(during), [2, 2, 2]);
  });

  it('starts a read at once when none is in flight', async () => {
    const reads = manualReads();
    const fresh = new FreshRead(reads.read);
    const a = fresh.get();
    reads.finish();
    assert.equal(await a, 1);
    const b = fresh.get();
    assert.equal(reads.started(), 2);
    reads.finish();
    assert.equal(await b, 2);
  });

  it('passes a failed read to its callers only; the callers after it get a read of their own', async () => {
    const reads = manualReads();
    const fresh = new FreshRead(reads.read);
    const failing = fresh.get();
    const after = fresh.get();
    reads.finish(new Error('boom'));
    await assert.rejects(failing, /boom/);
    await tick();
    reads.finish();
    assert.equal(await after, 2);
    const later = fresh.get();
    reads.finish();
    assert.equal(await later, 3);
  });
});
