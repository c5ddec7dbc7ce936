export { freePort, startNatsServer } from './nats-server.js';
export type { NatsServerHandle, StartNatsServerOptions } from './nats-server.js';
