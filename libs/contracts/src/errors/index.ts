export * from './error-kind.js';
export * from './swarm-errors.js';
export * from './domain-error.js';
export * from './ca-errors.js';
