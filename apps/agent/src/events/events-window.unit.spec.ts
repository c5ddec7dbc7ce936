import assert from 'node:assert/strict';
import { it } from 'node:test';
import { eventsStreamMs } from './events-window.js';

const now = Date.parse('2026-11-27T00:00:00Z');

it('ends a local event stream at until, at once when it is past', () => {
  assert.equal(eventsStreamMs(String(now / 1000 + 2), now), 2000);
  assert.equal(eventsStreamMs(`${now / 1000 + 1}.500000000`, now), 1500);
  assert.equal(eventsStreamMs(String(now / 1000 - 60), now), 0);
  assert.equal(eventsStreamMs('2026-11-27T00:00:03Z', now), 3000);
});

it('streams until the client goes away without a usable until', () => {
  assert.equal(eventsStreamMs(undefined, now), undefined);
  assert.equal(eventsStreamMs('', now), undefined);
  assert.equal(eventsStreamMs('soon', now), undefined);
  assert.equal(eventsStreamMs(String(now / 1000 + 365 * 86400), now), undefined);
});
