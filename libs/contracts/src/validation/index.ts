export * from './schema-validator.js';
export * from './type-equality.js';
