export * from './schema-validator.js';
export * from './type-equality.js';
export * from './issue-text.js';
