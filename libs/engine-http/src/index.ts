export * from './api-version.js';
export * from './docker-http.js';
export * from './docker-error.filter.js';
export * from './json-body.js';
export * from './engine.js';
export * from './request-context.js';
export * from './filters.js';
export * from './system-info.js';
