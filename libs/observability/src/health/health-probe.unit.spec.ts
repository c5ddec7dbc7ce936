import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HealthProbe } from './health-probe.js';

/** A check whose answer the test sets, counting its calls. */
function controllable(name: string): { calls: number; fail: string | undefined; check: { name: string; probe: () => Promise<void> } } {
  const state = {
    calls: 0,
    fail: undefined as string | undefined,
    check: {
      name,
      probe: async () => {
        state.calls++;
        if (state.fail !== undefined) throw new Error(state.fail);
      },
    },
  };
  return state;
}

describe('HealthProbe', () => {
  it('probes once per TTL and shares one probe between concurrent callers', async () => {
    let now = 1_000;
    const bus = controllable('bus');
    const probe = new HealthProbe([bus.check], { ttlMs: 1000, now: () => now });
    assert.equal(probe.fresh(), undefined);
    const results = await Promise.all([probe.status(), probe.status(), probe.status()]);
    assert.equal(bus.calls, 1);
    assert.ok(results.every((r) => r.healthy));
    now += 999;
    await probe.status();
    assert.equal(bus.calls, 1, 'still fresh');
    now += 1;
    await probe.status();
    assert.equal(bus.calls, 2, 'stale after the TTL');
  });

  it('reports each failed check by name, and recovers', async () => {
    let now = 0;
    const bus = controllable('bus');
    const store = controllable('store');
    const seen: string[] = [];
    const probe = new HealthProbe([bus.check, store.check], { now: () => now, onResult: (name, up) => seen.push(`${name}=${up ? 1 : 0}`) });
    store.fail = 'stream not found';
    const down = await probe.status();
    assert.equal(down.healthy, false);
    assert.deepEqual(down.failures, ['store: stream not found']);
    assert.deepEqual(down.down, ['store']);
    assert.deepEqual(seen.sort(), ['bus=1', 'store=0']);
    store.fail = undefined;
    now += 5_000;
    assert.equal((await probe.status()).healthy, true);
  });

  it('refreshes on demand, fresh result or not, sharing a probe under way', async () => {
    let now = 0;
    const service = controllable('ipam-service');
    const probe = new HealthProbe([service.check], { ttlMs: 2000, now: () => now });
    await probe.refresh();
    now += 1000;
    service.fail = 'no replica answers (not running)';
    await Promise.all([probe.refresh(), probe.refresh()]);
    assert.equal(service.calls, 2, 'one probe for both refreshes');
    const status = probe.fresh();
    assert.equal(status?.healthy, false, 'status() callers see the refreshed result without probing');
    assert.deepEqual(status?.down, ['ipam-service']);
  });

  it('fails a check that does not answer within the timeout', async () => {
    const probe = new HealthProbe([{ name: 'store', probe: () => new Promise(() => undefined) }], { timeoutMs: 20 });
    const status = await probe.status();
    assert.equal(status.healthy, false);
    assert.match(status.failures[0] ?? '', /^store: no answer within 20 ms$/);
  });
});
