export * from './config.js';
export * from './event-store.js';
export * from './events.js';
export * from './rpc-error.filter.js';
export * from './service-bootstrap.js';
export * from './infrastructure.module.js';
export { InstrumentedEventStore, countCommandRetries, countSkippedEvents } from './instrumented-event-store.js';
export * from './kek-holder.js';
export * from './token-age-policy.js';
