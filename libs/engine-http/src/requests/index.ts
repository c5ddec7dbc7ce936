export * from './go-json.js';
export * from './go-schema.js';
export * from './decode-body.js';
export * from './swarm-requests.js';
export * from './query.js';
