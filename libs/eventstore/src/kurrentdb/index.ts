export { KurrentDbEventStore } from './kurrentdb-event-store.js';
export { MissingPositionError } from './mapping.js';
export { isKurrentDbUrl, kurrentDbConnectionString, redactUrl } from './options.js';
export type { KurrentDbConnectOptions } from './options.js';
export type { KurrentDbSubscribeOptions } from './subscription.js';
