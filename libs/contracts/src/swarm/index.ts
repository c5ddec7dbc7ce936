export * from './spec.js';
export * from './requests.js';
export * from './request-schemas.js';
