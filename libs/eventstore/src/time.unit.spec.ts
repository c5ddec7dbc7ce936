import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isValidStreamName } from './stream-name.js';
import { formatNanos, normalizeRfc3339, nowNanos, nowRfc3339 } from './time.js';

describe('event times', () => {
  it('formats nanoseconds as RFC 3339 UTC with 9 digits', () => {
    assert.equal(formatNanos(1_795_733_887_587_066_548n), '2026-11-26T22:58:07.587066548Z');
    assert.equal(formatNanos(0n), '1970-01-01T00:00:00.000000000Z');
  });

  it('issues unique, increasing times from the clock', () => {
    const times = Array.from({ length: 1000 }, () => nowRfc3339());
    for (const t of times) assert.match(t, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/);
    for (let i = 1; i < times.length; i++) assert.ok((times[i] ?? '') > (times[i - 1] ?? ''));
    const ms = Date.parse(times[0] ?? '');
    assert.ok(Math.abs(ms - Date.now()) < 1000);
  });

  it('issues times that formatNanos of nowNanos would give, interleaved with it', () => {
    const times: string[] = [];
    for (let i = 0; i < 3000; i++) times.push(i % 3 === 0 ? formatNanos(nowNanos()) : nowRfc3339());
    for (let i = 1; i < times.length; i++) assert.ok((times[i] ?? '') > (times[i - 1] ?? ''), `${times[i - 1]} then ${times[i]}`);
    for (const t of times) assert.equal(normalizeRfc3339(t), t);
  });

  it('normalizes RFC 3339 input to UTC with 9 digits', () => {
    assert.equal(normalizeRfc3339('2026-11-26T22:58:07.587066548Z'), '2026-11-26T22:58:07.587066548Z');
    assert.equal(normalizeRfc3339('2026-11-26T22:58:07Z'), '2026-11-26T22:58:07.000000000Z');
    assert.equal(normalizeRfc3339('2026-11-26t23:58:07.5+01:00'), '2026-11-26T22:58:07.500000000Z');
    assert.equal(normalizeRfc3339('2026-11-26T22:58:07.1234567891Z'), '2026-11-26T22:58:07.123456789Z');
    for (const bad of ['', 'now', '2026-11-26', '2026-13-26T22:58:07Z', '2026-11-26T22:58:07']) {
      assert.throws(() => normalizeRfc3339(bad), TypeError, bad);
    }
  });
});

describe('stream names', () => {
  it('allows letters, digits, _ and - only', () => {
    for (const ok of ['a', 'Cluster-1_x', 'x'.repeat(200)]) assert.ok(isValidStreamName(ok), ok);
    for (const bad of ['', 'a.b', 'a b', 'a*', 'a>', 'é', 'x'.repeat(201), 42]) assert.ok(!isValidStreamName(bad), String(bad));
  });
});
