export * from '../engine-api/swarm-spec.js';
export * from './requests.js';
export * from './request-schemas.js';
