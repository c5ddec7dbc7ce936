/** What the ipam handler specs share: a store with a given history and the commands over it. */
import { Streams, type NetworkSpaceEvent } from '#contracts';
import { givenEvents } from '#testing';

export { initializedIpamEvents as initialized } from '#testing';
import { NetworkSpaceCommands } from '#network-space';

export const specContext = { correlationId: 'spec', actor: 'user:spec' };

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
