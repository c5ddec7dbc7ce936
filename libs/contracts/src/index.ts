export * from './errors/index.js';
export * from './swarm/index.js';
export * from './events/index.js';
export * from './subjects.js';
export * from './ca/requests.js';
export * from './tokens/requests.js';
export * from './ipam/requests.js';
export * from './swarm-port/protocol.js';
