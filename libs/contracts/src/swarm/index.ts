export * from './spec.js';
export * from './requests.js';
