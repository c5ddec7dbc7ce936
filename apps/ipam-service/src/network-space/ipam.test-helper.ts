/** What the ipam handler specs share: a store with a given history and the commands over it. */
import { Streams, type NetworkSpaceEvent } from '#contracts';
import { givenEvents } from '#testing';
import { NetworkSpaceCommands } from '#network-space';

export const specContext = { correlationId: 'spec', actor: 'user:spec' };

/** A cluster with pools 10.0.0.0/8 in /24s and an ingress network on 10.0.0.0/24. */
export const initialized = (clusterId: string): NetworkSpaceEvent[] => [
  { type: 'AddressPoolsConfigured', data: { clusterId, pools: ['10.0.0.0/8'], subnetSize: 24 } },
  {
    type: 'NetworkCreated',
    data: {
      networkId: `${clusterId}-ingress`, clusterId, name: 'ingress', driver: 'overlay', ingress: true, internal: false, attachable: false,
      labels: {}, options: {}, subnet: '10.0.0.0/24', gateway: '10.0.0.1', explicitSubnet: false, vxlanId: 4096, createdAt: '2026-01-01T00:00:00Z',
    },
  },
];

/** NetworkSpaceCommands started on a store holding `events` in the cluster's ipam stream. */
export async function givenIpam(clusterId: string, events: readonly NetworkSpaceEvent[]) {
  const store = await givenEvents({ [Streams.ipam(clusterId)]: events });
  const commands = new NetworkSpaceCommands(store);
  await commands.onModuleInit();
  return {
    store,
    commands,
    stop: async () => {
      await commands.onApplicationShutdown();
      await store.close();
    },
  };
}
