import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, type ErrorPayload, type EventData, type NetworkSpaceEvent } from '#contracts';
import { formatIpv4, parseIpv4 } from '../net/ipv4.js';
import { decideNetworkSpace, type CreateNetworkInput, type NetworkSpaceCommand } from './network-space.decide.js';
import { evolveNetworkSpace, newNetworkSpace, type NetworkSpace } from './network-space.js';

const CLUSTER = 'cluster-1';
const CREATED_AT = '2026-01-01T00:00:00.000Z';

const configured = (pools: readonly string[], subnetSize: number): NetworkSpaceEvent => ({
  type: 'AddressPoolsConfigured',
  data: { clusterId: CLUSTER, pools, subnetSize },
});

const input = (networkId: string, extra: Partial<CreateNetworkInput> = {}): CreateNetworkInput => ({
  networkId,
  name: networkId,
  ingress: false,
  internal: false,
  attachable: false,
  labels: {},
  options: {},
  createdAt: CREATED_AT,
  ...extra,
});

const create = (networkId: string, extra: Partial<CreateNetworkInput> = {}): NetworkSpaceCommand => ({
  type: 'CreateNetwork',
  network: input(networkId, extra),
});

/** The NetworkCreated of an automatic subnet: gateway .1, no ipRange. */
function created(
  networkId: string,
  subnet: string,
  vxlanId: number,
  extra: Partial<EventData<'NetworkCreated'>> = {},
): NetworkSpaceEvent {
  const base = parseIpv4(subnet.split('/')[0]!)!;
  return {
    type: 'NetworkCreated',
    data: {
      networkId,
      clusterId: CLUSTER,
      name: networkId,
      driver: 'overlay',
      ingress: false,
      internal: false,
      attachable: false,
      labels: {},
      options: {},
      subnet,
      gateway: formatIpv4(base + 1),
      explicitSubnet: false,
      vxlanId,
      createdAt: CREATED_AT,
      ...extra,
    },
  };
}

const removed = (networkId: string, name = networkId): NetworkSpaceEvent => ({
  type: 'NetworkRemoved',
  data: { networkId, clusterId: CLUSTER, name },
});

/** Replay from a fresh space (the space is folded in place). */
const replay = (events: readonly NetworkSpaceEvent[]): NetworkSpace => events.reduce(evolveNetworkSpace, newNetworkSpace());

/** Given events, When command, Then events. */
function thenEvents(given: readonly NetworkSpaceEvent[], when: NetworkSpaceCommand, expected: readonly NetworkSpaceEvent[]): void {
  assert.deepEqual(decideNetworkSpace(when, replay(given)), expected);
}

/** Given events, When command, Then a DomainError. */
function thenError(given: readonly NetworkSpaceEvent[], when: NetworkSpaceCommand, expected: ErrorPayload): void {
  assert.throws(
    () => decideNetworkSpace(when, replay(given)),
    (error: unknown) => {
      assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
      assert.deepEqual(error.toPayload(), expected);
      return true;
    },
  );
}

/** Given events, When networks net-<first>... are created one after the other, Then these events. */
function createInTurn(given: readonly NetworkSpaceEvent[], count: number, first = 1): NetworkSpaceEvent[] {
  const space = replay(given);
  const emitted: NetworkSpaceEvent[] = [];
  for (let i = first; i < first + count; i += 1) {
    const events = decideNetworkSpace(create(`net-${i}`), space);
    events.forEach((event) => evolveNetworkSpace(space, event));
    emitted.push(...events);
  }
  return emitted;
}

const subnetsOf = (events: readonly NetworkSpaceEvent[]): string[] =>
  events.map((event) => (event.type === 'NetworkCreated' ? event.data.subnet : `unexpected ${event.type}`));

const POOLS_EXHAUSTED: ErrorPayload = {
  code: 'System',
  kind: 'System',
  message: 'could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network',
};

describe('decideNetworkSpace', () => {
  describe('ConfigurePools', () => {
    it('configures the pools once', () => {
      thenEvents([], { type: 'ConfigurePools', clusterId: CLUSTER, pools: ['10.20.0.0/16'], subnetSize: 26 }, [
        configured(['10.20.0.0/16'], 26),
      ]);
    });

    it('refuses a subnet size that does not fit a pool, or a pool that is not IPv4, writing nothing', () => {
      const refused = (pool: string, size: number | string, message: string) =>
        thenError([], { type: 'ConfigurePools', clusterId: CLUSTER, pools: pool ? [pool] : [], subnetSize: size as number }, {
          code: 'InvalidParameter',
          kind: 'InvalidParameter',
          message,
        });
      refused('10.0.0.0/8', 4, 'invalid CIDR: "10.0.0.0/8". Subnet size is too small for pool: 4');
      refused('', 'abc', 'subnet size is out of range: abc');
      refused('10.20.0.0/16', 33, 'subnet size is out of range: 33');
      refused('fd00::/8', 24, 'invalid base pool fd00::/8: invalid CIDR address: fd00::/8');
    });

    it('does nothing the second time', () => {
      thenEvents([configured([], 24)], { type: 'ConfigurePools', clusterId: CLUSTER, pools: ['10.20.0.0/16'], subnetSize: 26 }, []);
    });
  });

  describe('CreateNetwork with an automatic subnet', () => {
    it('refuses before the pools are configured', () => {
      thenError([], create('net-1'), {
        code: 'NotInSwarm',
        kind: 'System',
        message:
          'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.',
      });
    });

    it('gives the default pool 10.0.0.0/8 at /24 in order, VXLAN IDs from 4096 up', () => {
      assert.deepEqual(createInTurn([configured([], 24)], 4), [
        created('net-1', '10.0.0.0/24', 4096),
        created('net-2', '10.0.1.0/24', 4097),
        created('net-3', '10.0.2.0/24', 4098),
        created('net-4', '10.0.3.0/24', 4099),
      ]);
    });

    it('walks the pools given at the size given', () => {
      assert.deepEqual(subnetsOf(createInTurn([configured(['10.20.0.0/16', '10.30.0.0/16'], 26)], 6)), [
        '10.20.0.0/26',
        '10.20.0.64/26',
        '10.20.0.128/26',
        '10.20.0.192/26',
        '10.20.1.0/26',
        '10.20.1.64/26',
      ]);
    });

    it('spills from a full small pool into the next', () => {
      assert.deepEqual(subnetsOf(createInTurn([configured(['10.50.0.0/24', '10.60.0.0/24'], 26)], 6)), [
        '10.50.0.0/26',
        '10.50.0.64/26',
        '10.50.0.128/26',
        '10.50.0.192/26',
        '10.60.0.0/26',
        '10.60.0.64/26',
      ]);
    });

    it("refuses with Docker's error when every pool is full", () => {
      const given = [configured(['10.50.0.0/24', '10.60.0.0/24'], 26)];
      given.push(...createInTurn(given, 8));
      thenError(given, create('net-9'), POOLS_EXHAUSTED);
    });

    it('skips a /24 taken in the middle', () => {
      const given = [configured([], 24), created('net-0', '10.0.5.0/24', 4096, { explicitSubnet: true })];
      assert.deepEqual(subnetsOf(createInTurn(given, 7)), [
        '10.0.0.0/24',
        '10.0.1.0/24',
        '10.0.2.0/24',
        '10.0.3.0/24',
        '10.0.4.0/24',
        '10.0.6.0/24',
        '10.0.7.0/24',
      ]);
    });

    it('skips the whole of a larger block taken before', () => {
      const given = [configured(['10.20.0.0/16'], 26), created('net-0', '10.20.0.0/24', 4096, { explicitSubnet: true })];
      assert.deepEqual(subnetsOf(createInTurn(given, 2)), ['10.20.1.0/26', '10.20.1.64/26']);
    });

    it('gives the VXLAN ID after those taken', () => {
      const given = [configured([], 24), created('net-0', '10.0.0.0/24', 4096)];
      thenEvents(given, create('net-1'), [created('net-1', '10.0.1.0/24', 4097)]);
    });

    it('does nothing for a network that already exists', () => {
      thenEvents([configured([], 24), created('net-1', '10.0.0.0/24', 4096)], create('net-1'), []);
    });

    it('reuses a freed subnet at once (first fit)', () => {
      const given = [configured([], 24), created('net-1', '10.0.0.0/24', 4096), created('net-2', '10.0.1.0/24', 4097), removed('net-1')];
      assert.deepEqual(subnetsOf(createInTurn(given, 1, 3)), ['10.0.0.0/24']);
    });

    // BUG (Docker divergence): the swarm manager's overlay driver (libnetwork ovmanager) takes VXLAN
    // IDs with vxlanIdm.GetIDInRange(4096, 2^24-1, serial=true): the next ID after the last one
    // given, not a freed one. VxlanIdPool.release lowers its hint, so the freed 4096 comes back.
    it('keeps VXLAN IDs increasing after a network is removed', () => {
      const given = [configured([], 24), created('net-1', '10.0.0.0/24', 4096), created('net-2', '10.0.1.0/24', 4097), removed('net-1')];
      const [event] = createInTurn(given, 1, 3);
      assert.equal(event?.type === 'NetworkCreated' ? event.data.vxlanId : undefined, 4098);
    });

    it('answers with 60,000 networks in 10.0.0.0/8', () => {
      const base = parseIpv4('10.0.0.0')!;
      const given: NetworkSpaceEvent[] = [configured([], 24)];
      for (let i = 0; i < 60_000; i += 1) given.push(created(`net-${i}`, `${formatIpv4(base + i * 256)}/24`, 4096 + i));
      thenEvents(given, create('net-new'), [created('net-new', '10.234.96.0/24', 64096)]);
    });
  });

  describe('CreateNetwork with an explicit subnet', () => {
    it('keeps the subnet as given and takes .1 as the gateway', () => {
      thenEvents([configured([], 24)], create('net-1', { subnet: '10.24.1.5/24' }), [
        created('net-1', '10.24.1.5/24', 4096, { gateway: '10.24.1.1', explicitSubnet: true }),
      ]);
    });

    it('takes the gateway and IP range given', () => {
      thenEvents([configured([], 24)], create('net-1', { subnet: '10.24.0.0/16', gateway: '10.24.0.254', ipRange: '10.24.8.0/24' }), [
        created('net-1', '10.24.0.0/16', 4096, { gateway: '10.24.0.254', ipRange: '10.24.8.0/24', explicitSubnet: true }),
      ]);
    });

    it('refuses a subnet that overlaps a taken one', () => {
      thenError([configured([], 24), created('net-1', '10.0.0.0/24', 4096)], create('net-2', { subnet: '10.0.0.0/16' }), {
        code: 'SubnetOverlaps',
        kind: 'Forbidden',
        message: 'invalid pool request: Pool overlaps with other one on this address space (10.0.0.0/16)',
      });
    });

    it('refuses a gateway outside the subnet', () => {
      thenError([configured([], 24)], create('net-1', { subnet: '10.24.0.0/24', gateway: '10.25.0.1' }), {
        code: 'InvalidParameter',
        kind: 'InvalidParameter',
        message: 'no matching subnet for gateway 10.25.0.1',
      });
    });
  });

  describe('CreateNetwork names and ingress', () => {
    it('refuses a name already taken', () => {
      thenError([configured([], 24), created('net-1', '10.0.0.0/24', 4096, { name: 'web' })], create('net-2', { name: 'web' }), {
        code: 'NetworkNameTaken',
        kind: 'Conflict',
        message: 'network with name web already exists',
      });
    });

    it('takes a name again once its network is removed', () => {
      const given = [configured([], 24), created('net-1', '10.0.0.0/24', 4096, { name: 'web' }), removed('net-1', 'web')];
      assert.equal(decideNetworkSpace(create('net-2', { name: 'web' }), replay(given)).length, 1);
    });

    for (const name of ['bridge', 'host', 'none']) {
      it(`refuses the pre-defined name ${name}`, () => {
        thenError([configured([], 24)], create('net-1', { name }), {
          code: 'PredefinedNetwork',
          kind: 'Forbidden',
          message: `${name} is a pre-defined network and cannot be created`,
        });
      });
    }

    it('refuses a second ingress network', () => {
      thenError(
        [configured([], 24), created('ingress-id', '10.0.0.0/24', 4096, { name: 'ingress', ingress: true })],
        create('net-2', { name: 'ingress2', ingress: true }),
        {
          code: 'IngressExists',
          kind: 'Conflict',
          message: 'rpc error: code = AlreadyExists desc = ingress network (ingress-id) is already present',
        },
      );
    });

    it('refuses an attachable ingress network', () => {
      thenError([configured([], 24)], create('net-1', { name: 'ingress', ingress: true, attachable: true }), {
        code: 'InvalidParameter',
        kind: 'InvalidParameter',
        message: 'rpc error: code = InvalidArgument desc = ingress network cannot be attachable',
      });
    });
  });

  describe('RemoveNetwork', () => {
    it('removes an existing network', () => {
      thenEvents([configured([], 24), created('net-1', '10.0.0.0/24', 4096, { name: 'web' })], { type: 'RemoveNetwork', networkId: 'net-1' }, [
        removed('net-1', 'web'),
      ]);
    });

    it('does nothing for an unknown or removed network', () => {
      thenEvents([configured([], 24)], { type: 'RemoveNetwork', networkId: 'net-1' }, []);
      thenEvents([configured([], 24), created('net-1', '10.0.0.0/24', 4096), removed('net-1')], { type: 'RemoveNetwork', networkId: 'net-1' }, []);
    });
  });
});
