export * from './swarm-spec.js';
export * from './docker-event.js';
export * from './go-schema.js';
export * from './engine-request.js';
export * from './request-bodies.js';
