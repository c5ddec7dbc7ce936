export * from './go-json.js';
export * from './decode-body.js';
export * from './query.js';
