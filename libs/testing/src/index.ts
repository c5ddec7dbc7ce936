export { freePort, startNatsServer } from './nats-server.js';
export type { NatsServerHandle, StartNatsServerOptions } from './nats-server.js';
export { startNatsCluster } from './nats-cluster.js';
export type { NatsClusterHandle, NatsClusterNode, StartNatsClusterOptions } from './nats-cluster.js';
export { laggingSubscriptions } from './lagging-store.js';
export { publishRawEvents, rawEventJson } from './raw-events.js';
export { engineFixture, initializedIpamEvents, nodeRegisteredData, recordedEvent, swarmInitStartedData } from './event-fixtures.js';
export { domainEvents, givenEvents, newEventOf, standInRpc, testKek, thenEvents } from './use-case.js';
export type { ServiceStandIns } from './use-case.js';
