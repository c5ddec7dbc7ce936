export * from './logging/index.js';
export * from './metrics/index.js';
export * from './health/index.js';
