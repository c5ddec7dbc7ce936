import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readRawLog } from './support/raw-log.js';
import { startStackFixture, type StackFixture } from './support/stack-fixture.js';

interface Network {
  Name: string;
  Id: string;
  Ingress: boolean;
  IPAM: { Config: { Subnet: string }[] };
  Options: Record<string, string>;
}

describe('two replicas of every service, 200 concurrent network creates', () => {
  let fx: StackFixture;
  before(async () => {
    fx = await startStackFixture({ replicas: 2 });
    const init = await fx.api('POST', '/v1.47/swarm/init', { ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1', DefaultAddrPool: [], SubnetSize: 24 });
    assert.equal(init.status, 200, init.text);
  });
  after(async () => {
    await fx?.stop();
  });

  const networks = async (): Promise<Network[]> => JSON.parse((await fx.api('GET', '/v1.47/networks')).text) as Network[];

  it('gives 200 networks 200 distinct subnets, none overlapping ingress, each event once', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => fx.api('POST', '/v1.47/networks/create', { Name: `par${i}`, Driver: 'overlay' })),
    );
    assert.deepEqual([...new Set(results.map((r) => r.status))], [201], results.find((r) => r.status !== 201)?.text);
    const all = await networks();
    const created = all.filter((n) => n.Name.startsWith('par'));
    assert.equal(created.length, 200);
    const subnets = all.map((n) => n.IPAM.Config[0]!.Subnet);
    assert.equal(new Set(subnets).size, all.length, 'every subnet is distinct');
    assert.ok(!created.some((n) => n.IPAM.Config[0]!.Subnet === '10.0.0.0/24'), 'ingress keeps 10.0.0.0/24 alone');
    assert.deepEqual(subnets.sort(), Array.from({ length: 201 }, (_, i) => `10.0.${i}.0/24`).sort(), 'the lowest 201 subnets, no gap');
    const vxlan = all.map((n) => n.Options['com.docker.network.driver.overlay.vxlanid_list']);
    assert.equal(new Set(vxlan).size, all.length, 'every VXLAN ID is distinct');
    const events = (await readRawLog(fx.natsUrl)).map((m) => JSON.parse(m.text) as { id: string; type: string; data: { name?: string } });
    const creates = events.filter((e) => e.type === 'NetworkCreated' && e.data.name?.startsWith('par'));
    assert.equal(creates.length, 200, 'one NetworkCreated per network, none lost, none doubled');
    assert.equal(new Set(events.map((e) => e.id)).size, events.length, 'no event id twice');
  });

  it('ipam-service restarted with an empty read model rebuilds the same space and continues', async () => {
    const before = await networks();
    await fx.stack.restart('ipam-service');
    const r = await fx.api('POST', '/v1.47/networks/create', { Name: 'after-restart', Driver: 'overlay' });
    assert.equal(r.status, 201, r.text);
    const after = await networks();
    assert.deepEqual(after.filter((n) => n.Name !== 'after-restart'), before);
    const next = after.find((n) => n.Name === 'after-restart');
    assert.equal(next?.IPAM.Config[0]?.Subnet, '10.0.201.0/24');
    const again = await fx.api('POST', '/v1.47/networks/create', { Name: 'par7', Driver: 'overlay' });
    assert.equal(again.status, 409, 'names survive the restart too');
  });
});
