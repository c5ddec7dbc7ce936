export { JetStreamEventStore } from './jetstream-event-store.js';
export { DuplicateEventIdError, PartialAppendError } from './append.js';
export type { JetStreamConnectOptions, JetStreamEventStoreOptions } from './options.js';
export type { JetStreamSubscribeOptions } from './subscription.js';
export { isTransient, retryTransient } from './transient.js';
export type { RetryPolicy } from './transient.js';
export { AckedPublisher, type AckedPublishOptions, type PublishExpectation } from './acked-publish.js';
export { PUBLISH_TIMEOUT_MS } from './options.js';
